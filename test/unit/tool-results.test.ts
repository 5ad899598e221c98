import { describe, expect, it } from "vitest";
import { ValueError } from "../../src/core/errors.js";
import { toToolMessages } from "../../src/core/tool-results.js";
import type { ToolCall } from "../../src/core/types.js";

const call = (id: string): ToolCall => ({ id, type: "function", function: { name: "f", arguments: "{}" } });

describe("toToolMessages", () => {
  it("accepts every spelling and sends the OpenAI shape", () => {
    const calls = [call("a"), call("b"), call("c"), call("d")];
    const messages = toToolMessages(
      [
        { toolCallId: "a", output: "sunny" },
        { tool_call_id: "b", output: { temp: 21 } },
        { role: "tool", tool_call_id: "c", content: "ok" },
        { role: "tool", toolCallId: "d", content: [1, 2] },
      ],
      calls,
      "toolResults",
    );
    expect(messages).toEqual([
      { role: "tool", tool_call_id: "a", content: "sunny" },
      { role: "tool", tool_call_id: "b", content: '{"temp":21}' },
      { role: "tool", tool_call_id: "c", content: "ok" },
      { role: "tool", tool_call_id: "d", content: "[1,2]" },
    ]);
  });

  it("puts results in the order of the calls", () => {
    const messages = toToolMessages([{ toolCallId: "b", output: "2" }, { toolCallId: "a", output: "1" }], [call("a"), call("b")], "r");
    expect(messages.map((m) => m.tool_call_id)).toEqual(["a", "b"]);
  });

  it("refuses missing, unknown and repeated ids, naming the source", () => {
    expect(() => toToolMessages([], [call("a")], "toolHandler's result")).toThrow(/toolHandler's result has no result for tool call "a"/);
    expect(() => toToolMessages([{ toolCallId: "z", output: "" }], [call("a")], "r")).toThrow(/"z", which the flow did not ask for/);
    expect(() =>
      toToolMessages([{ toolCallId: "a", output: "" }, { toolCallId: "a", output: "" }], [call("a")], "r"),
    ).toThrow(/more than once/);
    expect(() => toToolMessages([{ output: "x" }], [call("a")], "r")).toThrow(ValueError);
    expect(() => toToolMessages("nope", [call("a")], "r")).toThrow(TypeError);
  });

  it("refuses outputs JSON cannot carry", () => {
    expect(() => toToolMessages([{ toolCallId: "a", output: () => 1 }], [call("a")], "r")).toThrow(/r\[0\]\.output.*function/);
    expect(() => toToolMessages([{ toolCallId: "a", output: 10n }], [call("a")], "r")).toThrow(TypeError);
  });
});
