import type { Execution, StepAttempt } from "../../engine/execution.js";
import { formatUsd } from "../../money.js";
import { jsonBytes } from "../../json/json-size.js";
import type { AnswerRoom } from "./answer-room.js";
import { runTraceparent } from "../run-traceparent.js";

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The `flowRun` object of a trace (also the answer of GET …/runs/{id}). */
export function flowRun(run: Execution, now: number): Record<string, unknown> {
  const end = run.completedAt ?? now;
  const traceparent = runTraceparent(run);
  return {
    id: run.id,
    flowId: run.flow.flowId,
    status: run.status,
    triggerType: run.trigger,
    startedAt: iso(run.startedAt),
    completedAt: iso(run.completedAt),
    durationMs: run.startedAt === null ? 0 : Math.max(0, Math.round(end - run.startedAt)),
    stepCount: run.stepCount,
    // Only when the run was created with one: what a client's telemetry propagated.
    ...(traceparent === undefined ? {} : { traceparent }),
  };
}

/** One StepTrace; snapshots only when the run asked for `trace: true`, and when they fit in the answer's room (else `truncated`). */
export function stepTrace(run: Execution, attempt: StepAttempt, room: AnswerRoom): Record<string, unknown> {
  const trace: Record<string, unknown> = {
    stepId: attempt.stepId,
    attempt: attempt.attempt,
    loopIndex: attempt.loopIndex,
    status: attempt.status,
    startedAt: iso(attempt.startedAt),
    completedAt: iso(attempt.completedAt),
    durationMs: attempt.durationMs,
    modelUsed: attempt.modelUsed,
    tokens: attempt.tokens,
    costUsd: formatUsd(attempt.costPico),
  };
  if (run.input.trace) {
    const input = attempt.input ?? {};
    const output = attempt.output === undefined ? null : { output: attempt.output };
    const inputSize = jsonBytes(input);
    const outputSize = output === null ? 0 : jsonBytes(output);
    const fits = room.take(inputSize + outputSize) && room.fit(attempt.error);
    trace.inputContext = fits ? input : null;
    trace.outputContext = fits ? output : null;
    trace.errorContext = fits ? (attempt.error ?? null) : null;
    trace.inputSizeBytes = inputSize;
    trace.outputSizeBytes = outputSize;
    trace.truncated = !fits;
  }
  return trace;
}

/** The latest attempt of each step that ran, in step order. */
export function latestAttempts(run: Execution): StepAttempt[] {
  const latest = new Map<string, StepAttempt>();
  for (const attempt of run.attempts) latest.set(attempt.stepId, attempt);
  return [...latest.values()].sort((a, b) => a.stepIndex - b.stepIndex);
}
