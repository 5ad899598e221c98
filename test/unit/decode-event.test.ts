import { describe, expect, it } from "vitest";
import { decodeEvent } from "../../src/core/decode-event.js";
import { FlowExecutionError } from "../../src/core/errors.js";

const frame = (event: string | undefined, payload: unknown) => ({ event, data: JSON.stringify(payload) });

const TOOL_PAUSE = {
  executionId: "exec-1",
  stepId: "ask",
  iterationsUsed: 1,
  toolCallMessages: [],
  toolCalls: [{ id: "call-1", type: "function", function: { name: "lookup", arguments: "{}" } }],
};

function malformedError(run: () => unknown): FlowExecutionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FlowExecutionError);
    expect((error as FlowExecutionError).code).toBe("INVALID_EVENT");
    return error as FlowExecutionError;
  }
  throw new Error("expected the event to be refused");
}

describe("decoding one event", () => {
  it.each(["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf"])(
    "skips an event named %s, by event field or eventType, as unknown (never a member of a prototype)",
    (name) => {
      expect(decodeEvent(frame(name, { stepId: "a" }))).toBeUndefined();
      expect(decodeEvent(frame(undefined, { eventType: name, stepId: "a" }))).toBeUndefined();
    },
  );

  it("gives a step_output both names of its output, whichever one the server sent", () => {
    expect(decodeEvent(frame("step_output", { stepId: "a", outputData: { x: 1 } }))).toEqual({ type: "step_output", stepId: "a", outputData: { x: 1 }, outputContext: { x: 1 } });
    expect(decodeEvent(frame("step_output", { stepId: "a", outputContext: null }))).toEqual({ type: "step_output", stepId: "a", outputData: null, outputContext: null });
    expect(decodeEvent(frame("step_output", { stepId: "a", outputData: "both", outputContext: "both" }))).toMatchObject({ outputData: "both", outputContext: "both" });
    // Neither sent: neither invented.
    expect(decodeEvent(frame("step_output", { stepId: "a" }))).toEqual({ type: "step_output", stepId: "a" });
  });

  it("names the event by its event field, and a payload key named type never renames it", () => {
    expect(decodeEvent(frame("step_completed", { stepId: "a", type: "flow_completed" }))).toMatchObject({ type: "step_completed", stepId: "a" });
    expect(decodeEvent(frame("step_paused_for_tool_calls", TOOL_PAUSE))?.type).toBe("tool_calls_required");
  });

  it("takes the name from the payload's eventType when the frame has none, and does not keep that key", () => {
    const event = decodeEvent(frame(undefined, { eventType: "step_started", stepId: "a" }));
    expect(event).toEqual({ type: "step_started", stepId: "a" });
  });

  it("skips events it does not know, for forward compatibility", () => {
    expect(decodeEvent(frame("usage_report", { tokens: 3 }))).toBeUndefined();
    expect(decodeEvent({ event: undefined, data: "keep-alive" })).toBeUndefined();
  });

  it("accepts run and flow events without step fields", () => {
    expect(decodeEvent(frame("run_started", {}))?.type).toBe("run_started");
    expect(decodeEvent(frame("flow_completed", {}))?.type).toBe("flow_completed");
  });

  it.each(["step_started", "step_input", "step_output", "step_completed", "step_error", "step_paused"])(
    "refuses a %s without a string stepId, naming the field",
    (name) => {
      const error = malformedError(() => decodeEvent(frame(name, { stepId: 7 })));
      expect(error.message).toBe(`The server sent a malformed "${name}" event: it has no string "stepId".`);
    },
  );

  it.each([
    ["executionId", "string"],
    ["stepId", "string"],
    ["iterationsUsed", "number"],
    ["toolCallMessages", "array"],
    ["toolCalls", "array"],
  ])("refuses a tool pause without %s (%s)", (key, kind) => {
    const { [key as keyof typeof TOOL_PAUSE]: _dropped, ...rest } = TOOL_PAUSE;
    const error = malformedError(() => decodeEvent(frame("step_paused_for_tool_calls", rest)));
    expect(error.message).toContain(`it has no ${kind} "${key}"`);
  });

  it("refuses a known event whose data is not a JSON object", () => {
    expect(malformedError(() => decodeEvent({ event: "step_completed", data: "{" })).message).toContain("its data is not JSON");
    expect(malformedError(() => decodeEvent(frame("step_completed", [1]))).message).toContain("not a JSON object");
  });
});
