import type { Execution } from "../engine/execution.js";
import type { AppRequest } from "./http-types.js";

/**
 * The W3C `traceparent` each run was created with, so that a client's trace
 * propagation can be checked end to end: the run's trace shows it
 * (`flowRun.traceparent`). Kept beside the run rather than in it, and only
 * when the header is a well-formed one.
 */
const received = new WeakMap<Execution, string>();

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The request's `traceparent`, when it is well formed. */
export function traceparentOf(request: AppRequest): string | undefined {
  const value = request.header("traceparent")?.trim().toLowerCase();
  return value !== undefined && TRACEPARENT.test(value) ? value : undefined;
}

export function keepTraceparent(run: Execution, traceparent: string | undefined): void {
  if (traceparent !== undefined) received.set(run, traceparent);
}

/** What the run was created with, if anything. */
export function runTraceparent(run: Execution): string | undefined {
  return received.get(run);
}
