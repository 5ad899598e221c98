import type { JsonValue } from "../flows/types.js";
import { RECORD_BYTES, type Execution, type StepAttempt, type StepError, type StepRecord } from "./execution.js";
import type { EffectiveStep } from "./step-config.js";
import { addTokens, costPico, NO_TOKENS, type Tokens } from "./usage.js";

/**
 * Emits one event for the run (into its log and to the current stream, if
 * any) for step `stepIndex` (-1: a run-level event). A derivable event (see
 * event-log.ts) is emitted without a payload: it is built from the records,
 * which are written first.
 */
export type Emit = (name: string, stepIndex: number, payload?: object) => void;

export function newRecord(run: Execution, step: EffectiveStep, input: Record<string, JsonValue>, now: number): StepRecord {
  const record: StepRecord = {
    stepId: step.definition.id,
    stepIndex: step.index,
    status: "running",
    attempts: 0,
    startedAt: now,
    completedAt: null,
    durationMs: 0,
    tokens: NO_TOKENS,
    costPico: 0,
    input,
    output: undefined,
    error: undefined,
  };
  run.records[step.index] = record;
  run.retain(RECORD_BYTES);
  return record;
}

export function newAttempt(run: Execution, step: EffectiveStep, attempt: number, loopIndex: number | null, now: number): StepAttempt {
  const record: StepAttempt = {
    stepId: step.definition.id,
    stepIndex: step.index,
    attempt,
    loopIndex,
    status: "running",
    startedAt: now,
    completedAt: null,
    durationMs: 0,
    modelUsed: step.model,
    tokens: NO_TOKENS,
    costPico: 0,
    input: undefined,
    output: undefined,
    error: undefined,
  };
  run.attempts.push(record);
  run.retain(RECORD_BYTES);
  return record;
}

/** Adds one model call's usage to the attempt and the run. */
export function charge(run: Execution, attempt: StepAttempt, usage: Tokens, durationMs: number): void {
  const cost = costPico(attempt.modelUsed, usage);
  attempt.tokens = addTokens(attempt.tokens, usage);
  attempt.costPico += cost;
  attempt.durationMs += durationMs;
  run.usage = addTokens(run.usage, usage);
  run.costPico += cost;
}

/** Totals of a step across its attempts, for `step_completed`. */
export interface StepTotals {
  tokens: Tokens;
  costPico: number;
  durationMs: number;
}

export function totalsOf(attempts: readonly StepAttempt[]): StepTotals {
  // Most steps run once: their totals are the attempt's own (Tokens are never mutated, so the record may share them).
  const [only] = attempts;
  if (attempts.length === 1 && only) return { tokens: only.tokens, costPico: only.costPico, durationMs: only.durationMs };
  let usage = NO_TOKENS;
  let cost = 0;
  let duration = 0;
  for (const attempt of attempts) {
    usage = addTokens(usage, attempt.tokens);
    cost += attempt.costPico;
    duration += attempt.durationMs;
  }
  return { tokens: usage, costPico: cost, durationMs: duration };
}

/** Records a step's output, which takes `outputBytes` of JSON, and emits its completion. */
export function completeStep(run: Execution, step: EffectiveStep, record: StepRecord, output: JsonValue, outputBytes: number, totals: StepTotals, now: number, emit: Emit): void {
  const stepId = step.definition.id;
  run.storeOutput(stepId, output, outputBytes);
  record.output = output;
  endStep(run, record, "completed", totals, now);
  emit("step_output", step.index);
  emit("step_completed", step.index);
}

export function failStep(run: Execution, step: EffectiveStep, record: StepRecord, error: StepError, totals: StepTotals, now: number, emit: Emit): void {
  record.error = error;
  endStep(run, record, "failed", totals, now);
  run.failedStep = record;
  emit("step_error", step.index);
}

/** A step's record takes its outcome and totals; the run's duration grows by the step's. */
function endStep(run: Execution, record: StepRecord, status: "completed" | "failed", totals: StepTotals, now: number): void {
  record.status = status;
  record.completedAt = now;
  record.durationMs = totals.durationMs;
  record.tokens = totals.tokens;
  record.costPico = totals.costPico;
  run.durationMs += totals.durationMs;
}

/** A model call takes its declared latency (0 when none): durations are deterministic, like everything else. */
export function modelTime(step: EffectiveStep): number {
  return step.latencyMs ?? 0;
}

export function finish(attempt: StepAttempt, status: "completed" | "failed", now: number): void {
  attempt.status = status;
  attempt.completedAt = now;
}
