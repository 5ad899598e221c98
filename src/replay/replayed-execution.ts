import { readSession } from "../core/operations/sessions.js";
import type { SessionExecution, SessionStep } from "../core/types.js";

/**
 * An execution as a replay rebuilds its answers from: read as the client
 * reads a session it fetches (a field left out takes its default: no
 * `errorSnapshot` is no error), each step once, as its last attempt ended.
 * A session lists a step once per attempt: a step that failed, was retried
 * and then succeeded did not fail the run, and the live answers carried the
 * last attempt's output.
 */
export function replayedExecution(recorded: SessionExecution): SessionExecution {
  const [execution] = readSession({ executions: [recorded] }, "").executions;
  if (execution === undefined) return recorded;
  return { ...execution, steps: lastAttempts(execution.steps) };
}

/** Each step (in a loop, each of its turns) once, at the place of its first attempt, with what its last attempt recorded. */
export function lastAttempts(steps: readonly SessionStep[]): SessionStep[] {
  const last = new Map<string, SessionStep>();
  for (const step of steps) {
    const key = `${step.stepId}\u0000${step.loopIndex ?? ""}`;
    const seen = last.get(key);
    if (seen === undefined || step.attempt >= seen.attempt) last.set(key, step);
  }
  return [...last.values()];
}
