import { APITimeoutError } from "./errors.js";
import type { StreamCallOptions } from "./options.js";

/** When a stream with a `totalTimeout` must be over, and that timeout, for the error that says so. */
export interface StreamDeadline {
  at: number;
  totalMs: number;
}

/** The `totalTimeout` of a stream's options as a deadline from now (undefined: no bound on the whole). */
export function streamDeadline(options: StreamCallOptions, now: number): StreamDeadline | undefined {
  const totalMs = options.totalTimeout;
  return totalMs === undefined ? undefined : { at: now + totalMs, totalMs };
}

/**
 * How long the next wait of a stream may last: `waitMs`, cut to what is left
 * of its deadline. Throws once the deadline has passed.
 */
export function boundedWait(waitMs: number, deadline: StreamDeadline | undefined, now: number): number {
  if (deadline === undefined) return waitMs;
  const left = deadline.at - now;
  if (left <= 0) throw pastDeadline(deadline);
  return Math.min(waitMs, left);
}

export function pastDeadline(deadline: StreamDeadline): APITimeoutError {
  return new APITimeoutError(`The stream ran past its totalTimeout of ${deadline.totalMs} ms.`, { code: "TOTAL_TIMEOUT" });
}
