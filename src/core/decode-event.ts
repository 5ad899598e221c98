import { FlowExecutionError } from "./errors.js";
import { type Redact, scrubParsed } from "./redact.js";
import type { RawEvent } from "./sse-reader.js";
import type { CoreEvent } from "./stream-events.js";

/**
 * Wire names the client knows, and the public `type` each becomes. A Map: a
 * server's event name must never find a member of an object's prototype
 * (`constructor`, `__proto__`) as if it were one of these.
 */
const WIRE_TO_TYPE = new Map<string, CoreEvent["type"] | "flow_failed">([
  // Most are named on the wire as they are typed; each name is written once.
  ...(["run_started", "step_started", "step_input", "step_output", "step_completed", "step_error", "step_paused", "flow_completed", "flow_failed"] as const).map(
    (type) => [type, type] as const,
  ),
  ["flow_started", "run_started"],
  ["step_paused_for_tool_calls", "tool_calls_required"],
]);

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
export function decodeEvent(raw: RawEvent, redact: Redact = (value) => value): CoreEvent | FlowFailed | undefined {
  let name = raw.event;
  let payload: unknown;
  if (name !== undefined && !WIRE_TO_TYPE.has(name)) return undefined;
  try {
    payload = scrubParsed(redact, raw.data, JSON.parse(raw.data) as unknown);
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
  }
  const type = name === undefined ? undefined : WIRE_TO_TYPE.get(name);
  if (name === undefined || type === undefined) return undefined;
  // A copy without `eventType` only when it is there; never `delete`, which slows every later access.
  let event = fields;
  if (Object.hasOwn(fields, "eventType")) {
    const { eventType: _eventType, ...rest } = fields;
    event = rest;
  }
  event["type"] = type;
  checkRequiredFields(name, event);
  return event as CoreEvent | FlowFailed;
}

/**
 * The fields the client relies on to move a run forward; without them an
 * event cannot be used. Checked field by field, not from a table: this runs
 * for every event of every stream.
 */
function checkRequiredFields(name: string, event: Record<string, unknown>): void {
  switch (event["type"]) {
    case "run_started":
    case "flow_completed":
    case "flow_failed":
      return;
    case "tool_calls_required":
      requireField(name, event, "executionId", "string");
      requireField(name, event, "stepId", "string");
      requireField(name, event, "iterationsUsed", "number");
      requireField(name, event, "toolCallMessages", "array");
      requireField(name, event, "toolCalls", "array");
      return;
    case "step_output":
      // Servers name a step's output `outputData` or `outputContext` (the official sources disagree): the event gets both.
      event["outputData"] = event["outputContext"] = "outputData" in event ? event["outputData"] : event["outputContext"];
  }
  // Every step_* event names its step.
  requireField(name, event, "stepId", "string");
}

/** The field is there with the kind named (one check for every kind, so each call site is a name and a key). */
function requireField(name: string, event: Record<string, unknown>, key: string, kind: "string" | "number" | "array"): void {
  const value = event[key];
  if (kind === "array" ? !Array.isArray(value) : typeof value !== kind) throw malformed(name, `it has no ${kind} "${key}"`);
}

function malformed(name: string, problem: string): FlowExecutionError {
  return new FlowExecutionError(`The server sent a malformed "${name}" event: ${problem}.`, {
    code: "INVALID_EVENT",
  });
}
