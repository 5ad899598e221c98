import type { CoreConfig } from "../config.js";
import type { FlowRef } from "../flow-ref.js";
import type { CallOptions } from "../options.js";

/** What every flow operation works with: the client's settings and the flow addressed. */
export interface FlowContext {
  config: CoreConfig;
  flow: FlowRef;
}

/** `org/project/slug`, as people write it. */
export function flowName(flow: Pick<FlowRef, "org" | "project" | "slug">): string {
  return `${flow.org}/${flow.project}/${flow.slug}`;
}

/** The per-call timeout, else the client's. */
export function timeoutOf(context: FlowContext, options: CallOptions): number {
  return options.timeout ?? context.config.timeoutMs;
}

/** The per-call session id, else the client's. */
export function sessionOf(context: FlowContext, options: { sessionId?: string }): string | undefined {
  return options.sessionId ?? context.config.defaultSessionId;
}

/**
 * Copies the keys of `source` that are set, in the given order, onto `into`
 * (a new object by default). Bodies are built this way rather than with
 * spreads, which cost far more on every call.
 */
export function pick<T extends object>(source: T, keys: readonly (keyof T & string)[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const key of keys) if (source[key] !== undefined) into[key] = source[key];
  return into;
}
