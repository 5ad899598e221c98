import type { StepCompleted } from "../index.js";
import { visible, visibleLines } from "./visible.js";

/**
 * How the command line (and the demo) shows steps and results to a person.
 * Machine-readable output is `jsonLine`, one JSON value per line.
 */

/** `✓ 2. Write            0 ms   13 tokens  $0.00001450` */
export function stepLine(step: Pick<StepCompleted, "stepId" | "name" | "stepIndex" | "durationMs" | "tokens" | "costUsd">): string {
  const index = typeof step.stepIndex === "number" ? `${step.stepIndex + 1}. ` : "";
  const name = visible(`${index}${shownText(step.name ?? step.stepId)}`);
  return `✓ ${name.padEnd(16)} ${duration(step.durationMs).padStart(8)}  ${tokens(step.tokens).padStart(10)}  ${cost(step.costUsd)}`.trimEnd();
}

// These show what a server sent, which may not have the documented type (a `"tokens": null`, a cost as a number):
// an odd value is shown as it is, or left out, never a crash of the printer.

export function duration(ms: unknown): string {
  if (typeof ms !== "number") return "";
  return ms < 10_000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function tokens(breakdown: unknown): string {
  const total = tokenTotal(breakdown);
  return total === "" ? "" : `${total} tokens`;
}

/** A token breakdown's total, as text; nothing when it has none. */
export function tokenTotal(breakdown: unknown): string {
  return typeof breakdown === "object" && breakdown !== null ? shownText((breakdown as { total?: unknown }).total) : "";
}

/** Costs are decimal strings from the service; shown as given, never rounded through a float. */
export function cost(usd: unknown): string {
  return usd === undefined || usd === null ? "" : `$${shownText(usd)}`;
}

/**
 * A field a server sent, as one line of text whatever its type: text with its control characters escaped
 * (./visible.ts; even a colour, which the output path would let pass as the command's own), a number as
 * written, anything else as JSON; nothing for null.
 */
export function shownText(value: unknown): string {
  if (typeof value === "string") return visible(value);
  if (value === undefined || value === null) return "";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return visible(jsonLine(value));
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
