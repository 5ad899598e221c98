import type { Op, StreamOp } from "../../core/effects.js";
import type { EmittedToolPause } from "../../core/operations/step-run.js";
import type { ResumeOptions } from "../../core/options.js";
import type { ExecuteResult, PausedState } from "../../core/types.js";
import type { Mode, Stream, Value } from "../types/modes.js";

/**
 * What differs between the two clients, and nothing else: how an operation
 * is run (awaited, or blocking) and how its results are handed over. The
 * flow, job and run APIs are written once against this interface.
 */
export interface Driver<M extends Mode> {
  /**
   * Runs the operation that `start` builds. `start` checks the caller's
   * input; what it throws reaches the caller the way this client reports
   * errors (a rejected promise, or a throw).
   */
  value<T, R>(start: () => Started<T>, then: (value: T) => R): Value<M, R>;
  /** Runs a streaming operation as an iterator (async, or blocking) of presented values. */
  stream<E, P>(op: StreamOp<E>, signal: AbortSignal | undefined, present: (value: E) => P): Stream<M, P>;
  /**
   * A paused run as this client hands it over: the state, serialisable as
   * it is, with a non-enumerable `resume` of this client's kind.
   */
  pausedResult(state: PausedState, resume: (options: ResumeOptions<M["handler"]>) => Value<M, ExecuteResult | M["paused"]>): M["paused"];
  /** A streamed tool pause with this client's kind of `resume`. */
  toolPause(pause: EmittedToolPause): M["event"];
  /** Refuses callbacks this client cannot run (the blocking client refuses async ones). */
  checkCallback(fn: unknown, where: string): void;
  /** The clock the client runs on (for job grace windows). */
  now(): number;
}

export interface Started<T> {
  op: Op<T>;
  signal: AbortSignal | undefined;
}
