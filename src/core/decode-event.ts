import { FlowExecutionError } from "./errors.js";
import { MAX_READ_DEPTH, nestedDeeperThan } from "./json-depth.js";
import { type Redact, scrubParsed } from "./redact.js";
import type { RawEvent } from "./sse-reader.js";
import type { CoreEvent } from "./stream-events.js";
import { toolCallsProblem } from "./tool-call-shape.js";

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
  let type = name === undefined ? undefined : typeOfWireName(name);
  if (name !== undefined && type === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(raw.data) as unknown;
  } catch {
    if (name === undefined) return undefined;
    throw malformed(name, "its data is not JSON");
  }
  if (nestedDeeperThan(raw.data, payload, MAX_READ_DEPTH)) {
    if (name === undefined) return undefined;
    throw malformed(name, `its data is nested more than ${MAX_READ_DEPTH} levels deep, deeper than the client reads`);
  }
  if (raw.plain !== true) payload = scrubParsed(redact, raw.data, payload);
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    if (name === undefined) return undefined;
    throw malformed(name, "its data is not a JSON object");
  }
  let event = payload as Record<string, unknown>;
  if (name === undefined) {
    const eventType = event["eventType"];
    if (typeof eventType !== "string") return undefined;
    name = eventType;
    type = typeOfWireName(name);
    if (type === undefined) return undefined;
  }
  // A copy without `eventType` only when it is there; never `delete`, which slows every later access.
  // (Read first: a missed property read costs far less than `hasOwn`, which then rules out an inherited one.)
  if (event["eventType"] !== undefined && Object.hasOwn(event, "eventType")) {
    const { eventType: _eventType, ...rest } = event;
    event = rest;
  }
  event["type"] = type;
  checkRequiredFields(name, event as Record<string, unknown> & { type: CoreEvent["type"] | "flow_failed" });
  return event as CoreEvent | FlowFailed;
}

/** The last wire name looked up, and its type: a stream names most of its events alike. */
let lastWireName: string | undefined;
let lastType: CoreEvent["type"] | "flow_failed" | undefined;

/**
 * The public type of a wire name, or undefined for a name the client does
 * not know. A Map must hash a name before it can look it up; comparing it
 * with the last name first spares most events that hashing. The stream's
 * parser hands out the very string of the last name when the next one is
 * spelled alike (./sse-frames.ts), so that comparison is one of identity.
 */
function typeOfWireName(name: string): CoreEvent["type"] | "flow_failed" | undefined {
  if (name === lastWireName) return lastType;
  lastType = WIRE_TO_TYPE.get(name);
  lastWireName = name;
  return lastType;
}

/**
 * The fields the client relies on to move a run forward; without them an
 * event cannot be used. Checked field by field with their names written out,
 * not from a table or by a computed key: this runs for every event of every
 * stream, and a named property read is the fastest there is.
 */
function checkRequiredFields(name: string, event: Record<string, unknown> & { type: CoreEvent["type"] | "flow_failed" }): void {
  switch (event.type) {
    case "run_started":
    case "flow_completed":
    case "flow_failed":
      return;
    case "tool_calls_required": {
      if (typeof event["executionId"] !== "string") throw missing(name, "string", "executionId");
      if (typeof event["stepId"] !== "string") throw missing(name, "string", "stepId");
      if (typeof event["iterationsUsed"] !== "number") throw missing(name, "number", "iterationsUsed");
      if (!Array.isArray(event["toolCallMessages"])) throw missing(name, "array", "toolCallMessages");
      if (!Array.isArray(event["toolCalls"])) throw missing(name, "array", "toolCalls");
      const problem = toolCallsProblem(event["toolCalls"]);
      if (problem !== undefined) throw malformed(name, problem);
      return;
    }
    case "step_output":
      // Servers name a step's output `outputData` or `outputContext` (the official sources disagree): the event gets both.
      event["outputData"] = event["outputContext"] = Object.hasOwn(event, "outputData") ? event["outputData"] : event["outputContext"];
  }
  // Every step_* event names its step.
  if (typeof event["stepId"] !== "string") throw missing(name, "string", "stepId");
}

function missing(name: string, kind: "string" | "number" | "array", key: string): FlowExecutionError {
  return malformed(name, `it has no ${kind} "${key}"`);
}

function malformed(name: string, problem: string): FlowExecutionError {
  return new FlowExecutionError(`The server sent a malformed "${name}" event: ${problem}.`, {
    code: "INVALID_EVENT",
  });
}
