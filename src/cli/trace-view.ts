import type { LiveTraceEvent, StepAttempts, StepTrace, StreamEvent, Trace } from "../index.js";
import { listIn, objectIn } from "./answer-shape.js";
import { cost, duration, shownText, stepLine, tokenTotal, tokens } from "./format.js";
import { formatTable } from "./table.js";
import { visible } from "./visible.js";

const COLUMNS = ["STEP", "ATTEMPT", "LOOP", "STATUS", "DURATION", "MODEL", "TOKENS", "COST"];

/** A run's trace as a person reads it: a summary line, then one row per step (its latest attempt). */
export function traceLines(trace: Trace): string[] {
  const run = objectIn((trace as { flowRun?: unknown }).flowRun, "the trace", "flowRun");
  const steps = listIn((trace as { steps?: unknown }).steps, "the trace", "steps").map((step, index) => objectIn(step, "the trace", `step ${index + 1}`));
  const summary = [
    `run ${shownText(run["id"])}`,
    shownText(run["status"]),
    run["stepCount"] === undefined ? undefined : `${shownText(run["stepCount"])} steps`,
    duration(run["durationMs"]) || undefined,
    run["triggerType"] === undefined ? undefined : `trigger ${shownText(run["triggerType"])}`,
  ].filter((part) => part !== undefined);
  return [summary.join("  "), ...formatTable(COLUMNS, steps.map(row)), ...errorLines(steps)];
}

/** One step's attempts (`--attempt all`) or one attempt, with what each failed attempt reported. */
export function stepTraceLines(trace: StepTrace | StepAttempts): string[] {
  const answer = objectIn(trace, "the step trace", "body");
  const attempts = ("attempts" in answer ? listIn(answer["attempts"], "the step trace", "attempts") : [answer]).map((attempt, index) =>
    objectIn(attempt, "the step trace", `attempt ${index + 1}`),
  );
  const heading = `step ${shownText(answer["stepId"])}: ${attempts.length} attempt${attempts.length === 1 ? "" : "s"} shown`;
  return [heading, ...formatTable(COLUMNS, attempts.map(row)), ...errorLines(attempts)];
}

function row(step: Record<string, unknown>): string[] {
  return [
    shownText(step["stepId"]),
    shownText(step["attempt"]),
    step["loopIndex"] === undefined || step["loopIndex"] === null ? "-" : shownText(step["loopIndex"]),
    shownText(step["status"]),
    duration(step["durationMs"]),
    shownText(step["modelUsed"]),
    tokenTotal(step["tokens"]),
    cost(step["costUsd"]),
  ];
}

function errorLines(steps: readonly Record<string, unknown>[]): string[] {
  return steps.flatMap((step) => {
    const error = step["errorContext"];
    if (error === undefined || error === null) return [];
    const fields = typeof error === "object" ? (error as { code?: unknown; message?: unknown }) : {};
    const code = typeof fields.code === "string" ? `${fields.code}: ` : "";
    const message = typeof fields.message === "string" ? fields.message : shownText(error);
    return [visible(`  ${shownText(step["stepId"])} attempt ${shownText(step["attempt"])} failed: ${code}${message}`)];
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
      return `run ${shownText(event.executionId ?? event.runId ?? "?")} started${event.stepCount === undefined ? "" : ` (${shownText(event.stepCount)} steps)`}`;
    case "step_started":
      return `… ${shownText(event.name ?? event.stepId)}`;
    case "step_completed":
      return stepLine(event);
    case "step_error":
      return `✗ ${shownText(event.name ?? event.stepId)} failed: ${shownText(event.error?.code ?? "STEP_FAILED")}: ${shownText(event.error?.message ?? "no reason given")}`;
    case "flow_completed":
      return `run completed${summaryText(event.summary)}`;
    default:
      return undefined;
  }
}

function summaryText(given: unknown): string {
  if (typeof given !== "object" || given === null) return "";
  const summary = given as Record<string, unknown>;
  const parts = [
    typeof summary["stepCount"] === "number" ? `${summary["stepCount"]} steps` : undefined,
    typeof summary["durationMs"] === "number" ? duration(summary["durationMs"]) : undefined,
    tokens(summary["tokens"]) || undefined,
    typeof summary["costUsd"] === "string" ? cost(summary["costUsd"]) : undefined,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? "" : `: ${parts.join(", ")}`;
}
