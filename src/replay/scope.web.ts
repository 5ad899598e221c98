/**
 * Scopes where there is no AsyncLocalStorage (browsers): nothing could carry
 * a scope across the `await`s of the code inside it, so they are refused
 * rather than lost half-way, and the browser build carries none of the
 * recording and replaying code. A client's own `middleware` works here.
 */
import { ValueError } from "../core/errors.js";
import type { ReplayScopeOptions, ScopeInfo } from "./scope.js";

export type { ReplayScopeOptions, ScopeInfo, ScopeMode } from "./scope.js";

function refused(): never {
  throw new ValueError("Scopes (replayScope, traceScope) need AsyncLocalStorage, which this runtime lacks; pass the layer to the client as middleware instead.");
}

export function replayScope<T>(_fn: () => T | Promise<T>, _options?: ReplayScopeOptions): Promise<T> {
  return Promise.reject(new ValueError("Scopes (replayScope, traceScope) need AsyncLocalStorage, which this runtime lacks; pass the layer to the client as middleware instead."));
}

export function replayScopeSync<T>(_fn: () => T, _options?: ReplayScopeOptions): T {
  return refused();
}

export const traceScope = replayScope;

export function currentSessionId(): string | null {
  return null;
}

export function currentScope(): ScopeInfo | null {
  return null;
}
