import type { Op, StreamOp } from "../../core/effects.js";
import type { ResumeArgs } from "../../core/stream-events.js";

/**
 * What differs between the two clients, and nothing else: how an operation
 * is run (awaited, or blocking) and how its results are handed over. The
 * flow, job and run APIs are written once against this interface.
 */
export interface Driver {
  /**
   * Runs the operation that `start` builds. `start` checks the caller's
   * input; what it throws reaches the caller the way this client reports
   * errors (a rejected promise, or a throw).
   */
  value<T, R>(start: () => Started<T>, then: (value: T) => R): unknown;
  /** Runs a streaming operation as an iterator (async, or blocking) of presented values. */
  stream<E>(op: StreamOp, signal: AbortSignal | undefined, present: (value: unknown) => E): unknown;
  /** Turns the core's staging `resume` of a tool pause into this client's `resume`. */
  adaptResume(stage: (args: ResumeArgs) => void): (args: ResumeArgs) => unknown;
  /** Refuses callbacks this client cannot run (the blocking client refuses async ones). */
  checkCallback(fn: unknown, where: string): void;
  /** The clock the client runs on (for job grace windows). */
  now(): number;
}

export interface Started<T> {
  op: Op<T>;
  signal: AbortSignal | undefined;
}
