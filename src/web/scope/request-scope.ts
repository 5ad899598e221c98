import type { LogEvent } from "../../core/log-event.js";
import { ReplayForbiddenError } from "../../core/replay-errors.js";
import type { MatchMode } from "../../replay/matcher.js";
import { currentSessionId, replayScope, type ReplayScopeOptions } from "../../replay/scope.js";
import type { ScopeClient } from "../../replay/scope-client.js";
import { replayAnswer } from "./replay-answer.js";

/** Options every scope adapter takes. */
export interface ScopeAdapterOptions {
  /** The client that fetches a session to replay (`X-Noukai-Replay`, with NOUKAI_REPLAY_ENABLED=1); without one, such a request is refused. */
  client?: ScopeClient;
  /** How a replay finds each call's recording: `order` (default) or `input`. */
  match?: MatchMode;
  /** Recorded calls a replayed request never made: `error` (default, reported to `onError`), `warn`, `ignore`. */
  leftovers?: "error" | "warn" | "ignore";
  /** Receives `scope_open` and `scope_close` (default: the client's `onLog`). */
  onLog?: (event: LogEvent) => void;
  /**
   * An error the scope raised once the response had been sent (a replay's
   * leftovers), when no status can tell the caller any more. Default: `console.error`.
   */
  onError?: (error: unknown) => void;
}

/** What a request's handling hands back: the value the framework needs now, and when the response is over. */
export interface Handled<T> {
  value: T;
  /** Settles when the response has been sent to its last byte (or abandoned); the scope closes then. */
  finished: Promise<unknown>;
}

/**
 * Runs one request's handling inside a capture or replay scope, and keeps
 * the scope open until the response is over, not merely until the handler
 * has returned: calls a streamed body makes later still belong to it.
 * Resolves as soon as `handle` has its value; rejects with what opening the
 * scope (a replay's session fetch) or `handle` threw. What the scope throws
 * after that goes to `onError`.
 */
export function inRequestScope<T>(replaySessionId: string | undefined, options: ScopeAdapterOptions, handle: (sessionId: string | null) => Promise<Handled<T>> | Handled<T>): Promise<T> {
  let handedOver = false;
  let deliver: (value: T) => void = () => undefined;
  const delivered = new Promise<T>((resolve) => (deliver = resolve));
  let opened = false;
  const run = replayScope(async () => {
    opened = true;
    const handled = await handle(currentSessionId());
    handedOver = true;
    deliver(handled.value);
    await handled.finished.catch(() => undefined);
  }, scopeOptions(replaySessionId, options));
  run.catch((error: unknown) => {
    if (handedOver) report(options, error);
  });
  // The scope's failure wins only while nothing was handed over; after that, it is reported.
  return Promise.race([
    delivered,
    run.then(
      () => delivered,
      (error: unknown) => {
        throw opened ? error : openingRefusal(error, replaySessionId, options);
      },
    ),
  ]);
}

/**
 * Why the scope did not open, as the caller should hear it. Options are
 * checked when the adapter is made, so a replay asked of a scope with no
 * client is the one failure left that is not already a replay error: it is
 * the app's choice not to serve replays, answered as such (403), never as a
 * server error any caller could provoke at will.
 */
function openingRefusal(error: unknown, replaySessionId: string | undefined, options: ScopeAdapterOptions): unknown {
  if (replaySessionId === undefined || options.client !== undefined || replayAnswer(error) !== undefined) return error;
  return new ReplayForbiddenError(
    "The request asks for a replay (X-Noukai-Replay), but this app serves none: its noukaiScope() or withNoukaiScope() was given no client to fetch the session with ({ client }).",
  );
}

function scopeOptions(replaySessionId: string | undefined, options: ScopeAdapterOptions): ReplayScopeOptions {
  const scope: ReplayScopeOptions = {};
  if (replaySessionId !== undefined) scope.replaySessionId = replaySessionId;
  if (options.client !== undefined) scope.client = options.client;
  if (options.match !== undefined) scope.match = options.match;
  if (options.leftovers !== undefined) scope.leftovers = options.leftovers;
  if (options.onLog !== undefined) scope.onLog = options.onLog;
  return scope;
}

function report(options: ScopeAdapterOptions, error: unknown): void {
  try {
    if (options.onError !== undefined) options.onError(error);
    else console.error("[noukai] the request's scope failed after its response was sent:", error);
  } catch {
    // Reporting must not become an unhandled rejection.
  }
}
