import type { ExecuteOutcome } from "../../core/operations/execute.js";
import type { EmittedToolPause } from "../../core/operations/step-run.js";
import type { PausedState } from "../../core/types.js";
import type { Driver } from "./driver.js";

/**
 * Gives a paused run its `resume` method and `requiresToolCalls` flag. Both
 * are non-enumerable: the object still serialises to exactly the state that
 * `flow.resume(state, …)` takes in another process.
 */
export function presentOutcome(outcome: ExecuteOutcome, resume: (state: PausedState, options: unknown) => unknown): unknown {
  if (outcome.status !== "tool_calls_required") return outcome;
  const paused = { ...outcome };
  Object.defineProperties(paused, {
    requiresToolCalls: { value: true, enumerable: false },
    resume: { value: (options: unknown) => resume(outcome, options), enumerable: false },
  });
  return paused;
}

/** Gives a streamed tool pause the client's own kind of `resume`. */
export function presentEvent(driver: Driver, value: unknown): unknown {
  const event = value as { type?: unknown };
  if (event.type !== "tool_calls_required") return value;
  const pause = value as EmittedToolPause;
  return { ...pause, resume: driver.adaptResume((args) => pause.resume(args)) };
}
