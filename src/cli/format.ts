import type { StepCompleted, TokenBreakdown } from "../index.js";
import { visible, visibleLines } from "./visible.js";

/**
 * How the command line (and the demo) shows steps and results to a person.
 * Machine-readable output is `jsonLine`, one JSON value per line.
 */

/** `✓ 2. Write            0 ms   13 tokens  $0.00001450` */
export function stepLine(step: Pick<StepCompleted, "stepId" | "name" | "stepIndex" | "durationMs" | "tokens" | "costUsd">): string {
  const index = typeof step.stepIndex === "number" ? `${step.stepIndex + 1}. ` : "";
  const name = visible(`${index}${step.name ?? step.stepId}`);
  return `✓ ${name.padEnd(16)} ${duration(step.durationMs).padStart(8)}  ${tokens(step.tokens).padStart(10)}  ${cost(step.costUsd)}`.trimEnd();
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return "";
  return ms < 10_000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function tokens(breakdown: TokenBreakdown | undefined): string {
  return breakdown === undefined ? "" : `${breakdown.total} tokens`;
}

/** Costs are decimal strings from the service; shown as given, never rounded through a float. */
export function cost(usd: string | undefined): string {
  return usd === undefined ? "" : `$${usd}`;
}

/**
 * A run's result for a person: text as is, anything else as indented JSON.
 * On a terminal, its control characters are shown as escapes (./visible.ts);
 * in a pipe, it is data, and passes as it is.
 */
export function resultText(value: unknown, terminal: boolean): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? String(value));
  return terminal ? visibleLines(text) : text;
}

/** One line of NDJSON. Functions (an event's `resume`) are left out, as JSON does. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value) ?? "null";
}
