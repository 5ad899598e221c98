import type { Run, StepAttempt } from "../../engine/run.js";
import { formatUsd } from "../../engine/usage.js";
import { runTraceparent } from "../run-traceparent.js";

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The `flowRun` object of a trace (also the answer of GET …/runs/{id}). */
export function flowRun(run: Run, now: number): Record<string, unknown> {
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

/** One StepTrace; snapshots only when the run asked for `trace: true`. */
export function stepTrace(run: Run, attempt: StepAttempt): Record<string, unknown> {
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
    trace.inputContext = input;
    trace.outputContext = output;
    trace.errorContext = attempt.error ?? null;
    trace.inputSizeBytes = Buffer.byteLength(JSON.stringify(input));
    trace.outputSizeBytes = output === null ? 0 : Buffer.byteLength(JSON.stringify(output));
    trace.truncated = false;
  }
  return trace;
}

/** The latest attempt of each step that ran, in step order. */
export function latestAttempts(run: Run): StepAttempt[] {
  const latest = new Map<string, StepAttempt>();
  for (const attempt of run.attempts) latest.set(attempt.stepId, attempt);
  return [...latest.values()].sort((a, b) => a.stepIndex - b.stepIndex);
}
