import type { Credentials } from "./credentials.js";
import type { LogEvent } from "./log-event.js";
import type { Middleware } from "./middleware.js";
import type { Redact } from "./redact.js";
import type { PayloadRedactor } from "./redact-paths.js";
import type { RetryPolicy } from "./retry-policy.js";

/** The headers every request carries, apart from the key's. */
export interface BaseHeaders {
  readonly "x-noukai-api-version": string;
  readonly "user-agent": string;
}

/** Everything a client resolved at construction that the flow logic needs. */
export interface CoreConfig {
  readonly baseHeaders: BaseHeaders;
  /** The key, readable only by the request builder. */
  readonly credentials: Credentials;
  readonly timeoutMs: number;
  /** Successful whole answers larger than this fail with `RESPONSE_TOO_LARGE`. */
  readonly maxResponseBytes: number;
  readonly retry: RetryPolicy;
  readonly onLog: ((event: LogEvent) => void) | undefined;
  readonly logPayloads: boolean;
  /** The `redact` option's key paths, applied to every payload logged (and put on a span). */
  readonly redactPayload: PayloadRedactor;
  readonly defaultSessionId: string | undefined;
  readonly redact: Redact;
  readonly now: () => number;
  readonly random: () => number;
  readonly newId: () => string;
  /** The client's middleware chain, in order (empty: no hook is ever run, nothing is built for it). */
  readonly middleware: readonly Middleware[];
  /** The layer of a scope open around the current call (capture, replay), if any: it runs first in the chain. */
  readonly ambient: () => Middleware | undefined;
}

/** Successful whole answers are read up to this size by default (`maxResponseBytes`). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Error bodies are kept up to this size; the rest is never read into memory. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** One SSE event may not grow beyond this many characters (a hostile stream must not exhaust memory). */
export const MAX_EVENT_CHARS = 32 * 1024 * 1024;

/** A caller's `onLog` never breaks a call: its exceptions are swallowed. */
export function emitLog(config: CoreConfig, event: LogEvent): void {
  if (config.onLog === undefined) return;
  try {
    config.onLog(event);
  } catch {
    // The hook is observability; a bug in it must not change what the call does.
  }
}
