import type { SyncToolHandler, ToolHandler } from "../../core/options.js";
import type { StreamEvent, SyncStreamEvent } from "../../core/stream-events.js";
import type { PausedResult, SyncPausedResult } from "./surfaces.js";

/**
 * What differs between the two clients, as types: how a value is handed
 * over (a promise, or the value itself), how a stream is read, which tool
 * handlers they can run, and the named types of what they give back. The
 * flow, job and run APIs are written once, for any mode.
 */
export interface AsyncMode {
  readonly kind: "async";
  readonly handler: ToolHandler;
  readonly event: StreamEvent;
  readonly paused: PausedResult;
}

export interface SyncMode {
  readonly kind: "sync";
  readonly handler: SyncToolHandler;
  readonly event: SyncStreamEvent;
  readonly paused: SyncPausedResult;
}

export type Mode = AsyncMode | SyncMode;

/** A call's result: a promise for `AsyncNoukai`, the value itself for `Noukai`. */
export type Value<M extends Mode, T> = M extends AsyncMode ? Promise<T> : T;

/** A stream: an async iterator for `AsyncNoukai`, a blocking one for `Noukai`. */
export type Stream<M extends Mode, T> = M extends AsyncMode ? AsyncIterableIterator<T> : IterableIterator<T>;
