import type { LiveTraceEvent, StepAttempts, StepTrace, StreamEvent, Trace } from "../index.js";
import { cost, duration, stepLine, tokens } from "./format.js";
import { formatTable } from "./table.js";
import { visible } from "./visible.js";

const COLUMNS = ["STEP", "ATTEMPT", "LOOP", "STATUS", "DURATION", "MODEL", "TOKENS", "COST"];

/** A run's trace as a person reads it: a summary line, then one row per step (its latest attempt). */
export function traceLines(trace: Trace): string[] {
  const run = trace.flowRun;
  const summary = [
    `run ${run.id}`,
    run.status,
    run.stepCount === undefined ? undefined : `${run.stepCount} steps`,
    run.durationMs === undefined ? undefined : duration(run.durationMs),
    run.triggerType === undefined ? undefined : `trigger ${run.triggerType}`,
  ].filter((part) => part !== undefined);
  return [summary.join("  "), ...formatTable(COLUMNS, trace.steps.map(row)), ...errorLines(trace.steps)];
}

/** One step's attempts (`--attempt all`) or one attempt, with what each failed attempt reported. */
export function stepTraceLines(trace: StepTrace | StepAttempts): string[] {
  const attempts = "attempts" in trace ? trace.attempts : [trace];
  const heading = `step ${trace.stepId}: ${attempts.length} attempt${attempts.length === 1 ? "" : "s"} shown`;
  return [heading, ...formatTable(COLUMNS, attempts.map(row)), ...errorLines(attempts)];
}

function row(step: StepTrace): string[] {
  return [
    step.stepId,
    String(step.attempt),
    step.loopIndex === undefined || step.loopIndex === null ? "-" : String(step.loopIndex),
    step.status,
    duration(step.durationMs),
    step.modelUsed ?? "",
    step.tokens === undefined ? "" : String(step.tokens.total),
    cost(step.costUsd),
  ];
}

function errorLines(steps: readonly StepTrace[]): string[] {
  return steps.flatMap((step) => {
    const error = step.errorContext as { code?: unknown; message?: unknown } | undefined | null;
    if (error === undefined || error === null) return [];
    const code = typeof error.code === "string" ? `${error.code}: ` : "";
    const message = typeof error.message === "string" ? error.message : JSON.stringify(error);
    return [visible(`  ${step.stepId} attempt ${step.attempt} failed: ${code}${message}`)];
  });
}

/**
 * A live event as one readable line; `undefined` for the ones a person need
 * not see (inputs, outputs, pauses). What the server put in it (names,
 * messages) has its control characters shown as escapes (./visible.ts).
 */
export function eventLine(event: StreamEvent | LiveTraceEvent): string | undefined {
  const line = eventText(event);
  return line === undefined ? undefined : visible(line);
}

function eventText(event: StreamEvent | LiveTraceEvent): string | undefined {
  switch (event.type) {
    case "run_started":
      return `run ${event.executionId ?? event.runId ?? "?"} started${event.stepCount === undefined ? "" : ` (${event.stepCount} steps)`}`;
    case "step_started":
      return `… ${event.name ?? event.stepId}`;
    case "step_completed":
      return stepLine(event);
    case "step_error":
      return `✗ ${event.name ?? event.stepId} failed: ${event.error?.code ?? "STEP_FAILED"}: ${event.error?.message ?? "no reason given"}`;
    case "flow_completed":
      return `run completed${summaryText(event.summary)}`;
    default:
      return undefined;
  }
}

function summaryText(summary: Record<string, unknown> | undefined): string {
  if (summary === undefined) return "";
  const parts = [
    typeof summary["stepCount"] === "number" ? `${summary["stepCount"]} steps` : undefined,
    typeof summary["durationMs"] === "number" ? duration(summary["durationMs"]) : undefined,
    tokens(summary["tokens"] as Parameters<typeof tokens>[0]) || undefined,
    typeof summary["costUsd"] === "string" ? cost(summary["costUsd"]) : undefined,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? "" : `: ${parts.join(", ")}`;
}
