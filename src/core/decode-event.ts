import { FlowExecutionError } from "./errors.js";
import type { RawEvent } from "./sse-reader.js";
import type { CoreEvent } from "./stream-events.js";

/** Wire names the client knows, and the public `type` each becomes. */
const WIRE_TO_TYPE: Record<string, CoreEvent["type"] | "flow_failed"> = {
  run_started: "run_started",
  flow_started: "run_started",
  step_started: "step_started",
  step_input: "step_input",
  step_output: "step_output",
  step_completed: "step_completed",
  step_error: "step_error",
  step_paused: "step_paused",
  step_paused_for_tool_calls: "tool_calls_required",
  flow_completed: "flow_completed",
  flow_failed: "flow_failed",
};

/** A terminal failure of the whole flow, sent by some servers instead of `step_error`. */
export interface FlowFailed {
  type: "flow_failed";
  executionId?: string;
  error?: unknown;
  [key: string]: unknown;
}

/**
 * Turns a frame into a typed event. The name is the `event:` field, else the
 * payload's `eventType`; a payload key named `type` never overrides it.
 * Unknown names are skipped (undefined), for forward compatibility; a known
 * event whose data is not a JSON object is a protocol error, not something to
 * skip silently, since skipping a `step_completed` would corrupt the run.
 */
export function decodeEvent(raw: RawEvent): CoreEvent | FlowFailed | undefined {
  let name = raw.event;
  let payload: unknown;
  if (name !== undefined && WIRE_TO_TYPE[name] === undefined) return undefined;
  try {
    payload = JSON.parse(raw.data) as unknown;
  } catch {
    if (name === undefined) return undefined;
    throw malformed(name, "its data is not JSON");
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    if (name === undefined) return undefined;
    throw malformed(name, "its data is not a JSON object");
  }
  const fields = payload as Record<string, unknown>;
  if (name === undefined) {
    name = typeof fields["eventType"] === "string" ? fields["eventType"] : undefined;
    if (name === undefined || WIRE_TO_TYPE[name] === undefined) return undefined;
  }
  const type = WIRE_TO_TYPE[name] as CoreEvent["type"] | "flow_failed";
  const event: Record<string, unknown> = { ...fields };
  delete event["eventType"];
  event["type"] = type;
  checkRequiredFields(name, event);
  return event as CoreEvent | FlowFailed;
}

function checkRequiredFields(name: string, event: Record<string, unknown>): void {
  const needs = (key: string, kind: "string" | "number" | "array"): void => {
    const value = event[key];
    const ok = kind === "array" ? Array.isArray(value) : typeof value === kind;
    if (!ok) throw malformed(name, `it has no ${kind} "${key}"`);
  };
  switch (event["type"]) {
    case "step_started":
    case "step_input":
    case "step_output":
    case "step_completed":
    case "step_error":
    case "step_paused":
      needs("stepId", "string");
      return;
    case "tool_calls_required":
      needs("executionId", "string");
      needs("stepId", "string");
      needs("iterationsUsed", "number");
      needs("toolCallMessages", "array");
      needs("toolCalls", "array");
      return;
    default:
      return;
  }
}

function malformed(name: string, problem: string): FlowExecutionError {
  return new FlowExecutionError(`The server sent a malformed "${name}" event: ${problem}.`, {
    code: "INVALID_EVENT",
  });
}
