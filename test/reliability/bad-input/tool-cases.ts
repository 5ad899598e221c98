import type { ToolCall, ToolResult } from "noukai";
import type { BadInput } from "./case.js";

const tools = [{ type: "function", function: { name: "f" } }];
const flow = "acme/support/triage";
const handled = (input: string, toolHandler: (calls: ToolCall[]) => unknown, expect: BadInput["expect"], kinds?: BadInput["kinds"]): BadInput => ({
  input,
  ...(kinds ? { kinds } : {}),
  requestsAllowed: 1,
  run: (client) => client.flow(flow).execute({ message: "x", tools, toolHandler: toolHandler as (calls: ToolCall[]) => ToolResult[] }),
  expect,
});

export const HANDLER_FAILURE = "the weather service is down";

/**
 * Tool handlers that fail or answer the wrong calls, and tool limits that
 * make no sense. A handler only runs once the first answer asked for tools:
 * its mistakes must stop the resume from being sent.
 */
export const TOOL_CASES: BadInput[] = [
  handled("a toolHandler that throws (its own error comes back unchanged)", () => {
    throw new Error(HANDLER_FAILURE);
  }, { error: "Error", names: /the weather service is down/ }),
  handled("a toolHandler that answers a call it was not asked", () => [{ toolCallId: "call_9", output: "x" }], { error: "ValueError", names: /toolHandler's result.*call_9.*did not ask/ }),
  handled("a toolHandler that leaves a call unanswered", () => [], { error: "ValueError", names: /toolHandler's result has no result for tool call "call_1"/ }),
  handled("a toolHandler that answers a call twice", (calls) => [...calls, ...calls].map((c) => ({ toolCallId: c.id, output: "x" })), { error: "ValueError", names: /toolHandler's result.*more than once/ }),
  handled("a toolHandler that returns no array", () => ({ call_1: "x" }), { error: "TypeError", names: /toolHandler's result must be an array/ }),
  handled("a toolHandler output that cannot be JSON (BigInt)", (calls) => calls.map((c) => ({ toolCallId: c.id, output: { n: 1n } })), { error: "TypeError", names: /toolHandler's result\[0\]\.output\.n/ }),
  handled("a toolHandler that returns a Promise to the blocking client", (calls) => Promise.resolve(calls.map((c) => ({ toolCallId: c.id, output: "x" }))), { error: "TypeError", names: /toolHandler returned a Promise/ }, ["Noukai"]),
  {
    input: "an async toolHandler given to the blocking client",
    kinds: ["Noukai"],
    // What a JavaScript caller could pass: the types refuse it, the client must too.
    run: (client) => client.flow(flow).execute({ message: "x", tools, toolHandler: (async () => []) as never }),
    expect: { error: "TypeError", names: /toolHandler is an async function/ },
  },
  { input: "a toolHandler that is not a function", run: (client) => client.flow(flow).execute({ message: "x", tools, toolHandler: "f" as never }), expect: { error: "TypeError", names: /toolHandler/ } },
  { input: "maxToolRounds 0", run: (client) => client.flow(flow).execute({ message: "x", tools, maxToolRounds: 0 }), expect: { error: "ValueError", names: /maxToolRounds/ } },
  { input: "maxToolRounds -1", run: (client) => client.flow(flow).execute({ message: "x", tools, maxToolRounds: -1 }), expect: { error: "ValueError", names: /maxToolRounds/ } },
  { input: "maxToolRounds 1.5", run: (client) => client.flow(flow).execute({ message: "x", tools, maxToolRounds: 1.5 }), expect: { error: "ValueError", names: /maxToolRounds/ } },
  {
    input: "resume() with results for the wrong call",
    requestsAllowed: 1,
    run: async (client) => {
      const paused = await client.flow(flow).execute({ message: "x", tools });
      if (paused.status !== "tool_calls_required") throw new Error("expected a pause");
      return paused.resume({ toolResults: [{ toolCallId: "call_9", output: "x" }] });
    },
    expect: { error: "ValueError", names: /toolResults.*call_9/ },
  },
];
