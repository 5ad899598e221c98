import type { SseFrame } from "../sse/frame.js";
import { abortReason, yieldToIo } from "./delay.js";
import { NO_LIMITS, type RunLimits } from "./limits.js";
import type { ToolResult } from "./messages.js";
import { internalErrorMessage, reportUnexpected } from "../unexpected.js";
import type { Execution, StepRecord } from "./execution.js";
import type { Emit } from "./step-records.js";
import type { StepOutcome } from "./step-context.js";
import { runStep } from "./step-runner.js";
import { runAwaiting, type Awaiting } from "./waits.js";
import { resumeToolStep } from "./tool-step.js";
import { tokens } from "./usage.js";

export interface AdvanceOptions {
  /** "one" runs one step, then pauses (the /step default); "all" runs to the end. */
  mode: "one" | "all";
  /** Interrupts the step in flight (client gone, server closing). */
  signal: AbortSignal | undefined;
  now: () => number;
  /** Receives every frame this call emits, in order (the /step stream). */
  onFrame?: (frame: SseFrame) => void;
  /** Awaited between steps: the stream's backpressure. */
  drain?: () => Promise<void> | undefined;
  /** Results for the calls the run is waiting on (already checked against them). */
  toolResults?: readonly ToolResult[];
  /** What the run may output and keep (default: no limits). */
  limits?: RunLimits;
}

export type AdvanceOutcome = "paused" | "awaiting_tools" | "completed" | "failed" | "interrupted";

// Long synchronous stretches (a 10,000-step stream) give other sockets a turn this often.
const SLICE_MS = 8;

/**
 * Moves a run forward from its cursor until it pauses, waits for tools,
 * completes or fails. The caller must hold `run.busy`.
 */
export async function advanceExecution(run: Execution, options: AdvanceOptions): Promise<AdvanceOutcome> {
  return advance(run, options);
}

/**
 * The same, with the outcome at once when nothing had to wait (no step
 * latency, no backpressure, no turn given to other sockets): a one-step
 * execute then answers in the turn its body arrived, with no promise.
 */
export function advance(run: Execution, options: AdvanceOptions): AdvanceOutcome | Promise<AdvanceOutcome> {
  return runAwaiting(advanceWork(run, options));
}

function* advanceWork(run: Execution, options: AdvanceOptions): Awaiting<AdvanceOutcome> {
  const { onFrame, now } = options;
  const emit: Emit = onFrame
    ? (name, stepIndex, payload) => onFrame(run.emit(name, stepIndex, payload))
    : (name, stepIndex, payload) => run.record(name, stepIndex, payload);
  const ctx = { emit, signal: options.signal, now, limits: options.limits ?? NO_LIMITS };
  // The clock is first read once a second step is about to run: a one-step run (most executes) never reads it.
  let sliceEnd = 0;
  try {
    if (run.status === "pending") {
      run.startedAt = now();
      emit("run_started", -1);
    }
    run.status = "running";
    // A step that did not wait returns its outcome, not a promise: waiting on it anyway would cost a microtask turn per step.
    let outcome: StepOutcome | Promise<StepOutcome> = options.toolResults ? resumeToolStep(run, options.toolResults, ctx) : runStep(run, run.nextStep, ctx);
    if (typeof outcome !== "string") outcome = (yield outcome) as StepOutcome;
    for (;;) {
      if (outcome !== "completed") return settle(run, outcome, emit, now);
      run.nextStep += 1;
      if (run.nextStep >= run.stepCount) return settle(run, "completed", emit, now);
      if (options.mode === "one") {
        run.status = "paused";
        return "paused";
      }
      const room = options.drain?.();
      if (room) yield room;
      if (sliceEnd === 0) {
        sliceEnd = performance.now() + SLICE_MS;
      } else if (performance.now() > sliceEnd) {
        yield yieldToIo();
        sliceEnd = performance.now() + SLICE_MS;
      }
      if (options.signal?.aborted) throw abortReason(options.signal);
      outcome = runStep(run, run.nextStep, ctx);
      if (typeof outcome !== "string") outcome = (yield outcome) as StepOutcome;
    }
  } catch (reason) {
    if (!options.signal?.aborted) return failUnexpectedly(run, reason, emit, now);
    // The step in flight is dropped; the run waits where it was, consistent.
    run.status = run.toolState ? "awaiting_tools" : "paused";
    return "interrupted";
  }
}

/**
 * A bug met while running a step still ends the run, as failed with
 * INTERNAL_ERROR: it must never stay "running" for good, and a stream must
 * still get its terminal step_error.
 */
function failUnexpectedly(run: Execution, reason: unknown, emit: Emit, now: () => number): AdvanceOutcome {
  const index = run.toolState?.stepIndex ?? run.nextStep;
  const step = run.flow.steps[index];
  const stepId = step?.id ?? "";
  const where = `in step "${stepId}" of flow ${run.flow.flowId.slice("flow_".length)}`;
  reportUnexpected(where, reason);
  const error = { code: "INTERNAL_ERROR", message: internalErrorMessage(where) };
  const record = run.records[index] ?? unexpectedRecord(stepId, index, now());
  run.records[index] = record;
  if (!run.steps.includes(record)) run.steps.push(record);
  record.status = "failed";
  record.completedAt = now();
  record.error = error;
  run.failedStep = record;
  run.toolState = undefined;
  try {
    emit("step_error", index);
  } catch (again) {
    reportUnexpected(`reporting the error ${where}`, again);
  }
  return settle(run, "failed", emit, now);
}

function unexpectedRecord(stepId: string, stepIndex: number, at: number): StepRecord {
  return { stepId, stepIndex, status: "failed", attempts: 0, startedAt: at, completedAt: at, durationMs: 0, tokens: tokens(0, 0), costPico: 0, input: {}, output: undefined, error: undefined };
}

function settle(run: Execution, outcome: "completed" | "failed" | "awaiting_tools", emit: Emit, now: () => number): AdvanceOutcome {
  if (outcome === "awaiting_tools") {
    run.status = "awaiting_tools";
  } else if (outcome === "completed") {
    const last = run.flow.steps[run.stepCount - 1];
    run.result = last ? (run.outputs[last.id] ?? null) : null;
    run.status = "completed";
    run.completedAt = now();
    emit("flow_completed", -1);
  } else {
    const failed = run.failedStep;
    const step = failed ? run.flow.steps[failed.stepIndex] : undefined;
    const label = step ? `"${step.id}"${step.name ? ` (${step.name})` : ""}` : "unknown";
    run.error = `Step ${label} failed: ${failed?.error?.message ?? "unknown error"}`;
    run.result = run.error;
    run.status = "failed";
    run.completedAt = now();
  }
  run.log.settle();
  if (outcome !== "awaiting_tools") run.compact();
  return outcome;
}
