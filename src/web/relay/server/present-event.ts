import { isJsonObject } from "../../../core/json-object.js";

/** An event as the browser receives it. */
export type BrowserEvent = { readonly type: string; readonly [field: string]: unknown };

/**
 * What of each event reaches the browser, as an allow-list of fields per
 * type: the run's progress and outputs, never its execution state
 * (`executionId` before the end, `accumulatedOutputs`, messages).
 * `step_input` is left out, since a step's inputs hold the parameters the
 * server set; a relay's `presentEvent` hook can choose otherwise.
 */
const FIELDS = new Map<string, readonly string[]>([
  ["run_started", ["flowId", "stepCount"]],
  ["step_started", ["stepId", "name", "stepIndex"]],
  ["step_output", ["stepId", "outputData"]],
  ["step_completed", ["stepId", "name", "stepIndex", "output", "durationMs", "tokens", "costUsd"]],
  ["step_paused", ["stepId", "stepIndex"]],
  ["step_error", ["stepId", "name", "error"]],
  ["flow_completed", ["executionId", "result", "summary"]],
]);

export function presentEvent(event: { readonly type: string }): BrowserEvent | undefined {
  const fields = FIELDS.get(event.type);
  if (fields === undefined) return undefined;
  const source = event as Record<string, unknown>;
  const shown: Record<string, unknown> = { type: event.type };
  for (const field of fields) if (source[field] !== undefined) shown[field] = source[field];
  if (event.type === "step_error") shown["error"] = errorOf(source["error"]);
  return shown as BrowserEvent;
}

/** A failed step's error: its code and message only. */
function errorOf(error: unknown): { code?: string; message?: string } | null {
  if (!isJsonObject(error)) return null;
  const out: { code?: string; message?: string } = {};
  if (typeof error["code"] === "string") out.code = error["code"];
  if (typeof error["message"] === "string") out.message = error["message"];
  return out;
}
