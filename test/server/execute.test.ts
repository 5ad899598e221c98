import { describe, expect, it } from "vitest";
import { call, expectError, flowPath, makeApp, post, WEATHER_TOOLS } from "./helpers.js";

const app = makeApp();

describe("POST …/execute", () => {
  it("runs the whole flow and answers completed with the last step's output", async () => {
    const answer = await post(app, "hello", "execute", { message: "hi there" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.json).toEqual({
      status: "completed",
      result: "Hello! You said: hi there",
      executionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      flowId: "flow_examples/demo/hello",
      blockCount: 1,
    });
  });

  it("answers failed with a readable result naming the step", async () => {
    const answer = await post(app, "broken", "execute", { message: "x" });
    expect(answer.json).toMatchObject({ status: "failed", blockCount: 3 });
    expect(answer.json.result).toContain('"explode"');
  });

  it("serves versions: production by default, /v0 draft, /vN published, unknown N → 404", async () => {
    const run = async (suffix: string) => (await call(app, flowPath("two-step", `${suffix}/execute`), { body: { message: "m" } })).json.result;
    expect(await run("")).toBe("Article from [Outline of: m]");
    expect(await run("/v1")).toBe("Article from [Outline of: m]");
    expect(await run("/v0")).toBe("Article (draft) from [Outline (draft) of: m]");
    expect(await run("/v0")).not.toBe(await run(""));
    // No published version: the unversioned path falls back to the draft.
    expect((await post(app, "hello", "execute", { message: "m" })).json.result).toBe("Hello! You said: m");
    expectError(await call(app, flowPath("two-step", "/v7/execute"), { body: { message: "m" } }), 404, "VERSION_NOT_FOUND");
    expectError(await call(app, "/seq/examples/demo/missing/execute", { body: { message: "m" } }), 404, "FLOW_NOT_FOUND");
  });

  it("accepts both official body variants, spacing and \\u escapes, and ignores unknown fields", async () => {
    const python = '{"message": "caf\\u00e9", "parameters": {}, "iterationsUsed": 0, "accumulatedOutputs": {}, "trace": false, "extra": [1]}';
    expect((await post(app, "hello", "execute", undefined, { rawBody: python })).json.result).toBe("Hello! You said: caf\u00e9");
    expect((await post(app, "hello", "execute", { message: "ts", trace: false })).json.status).toBe("completed");
  });

  it("uses `messages` for `message` (last user turn) and checks their roles", async () => {
    const messages = [
      { role: "user", content: "first" },
      { role: "assistant", content: "ok" },
      { role: "user", content: "second" },
    ];
    expect((await post(app, "hello", "execute", { messages })).json.result).toBe("Hello! You said: second");
    const refused = await post(app, "hello", "execute", { messages: [{ role: "system", content: "x" }] });
    expect(expectError(refused, 400, "MESSAGES_ROLE_INVALID").message).toContain("messages[0].role");
  });

  it.each([
    ["malformed JSON", { rawBody: '{"message": "hi"' }, 400, "INVALID_JSON"],
    ["an empty body", { rawBody: "" }, 400, "INVALID_JSON"],
    ["a non-object body", { body: ["hi"] }, 400, "BAD_REQUEST"],
    ["a field of the wrong type", { body: { message: 42 } }, 400, "BAD_REQUEST"],
    ["parameters that are not an object", { body: { message: "m", parameters: "x" } }, 400, "BAD_REQUEST"],
    ["both message and messages", { body: { message: "m", messages: [{ role: "user", content: "x" }] } }, 400, "BAD_REQUEST"],
    ["neither message nor messages", { body: { trace: false } }, 400, "MISSING_MESSAGE"],
    ["message: null on a fresh call", { body: { message: null } }, 400, "MISSING_MESSAGE"],
    ["tools for a flow without tool steps", { body: { message: "m", tools: WEATHER_TOOLS } }, 400, "TOOLS_NOT_ENABLED"],
  ])("refuses %s", async (_name, options, status, code) => {
    const answer = await call(app, flowPath("hello", "/execute"), { method: "POST", ...options });
    const detail = expectError(answer, status, code);
    if (code === "BAD_REQUEST" && _name.includes("wrong type")) expect(detail.message).toContain('"message"');
  });

  it("refuses a body over 1 MiB (413 BODY_TOO_LARGE) and messages over 1 MB of JSON (413 MESSAGES_TOO_LARGE)", async () => {
    expectError(await post(app, "hello", "execute", { message: "x".repeat(1024 * 1024) }), 413, "BODY_TOO_LARGE");
    const messages = [{ role: "user", content: "y".repeat(1_000_001) }];
    expectError(await post(app, "hello", "execute", { messages }), 413, "MESSAGES_TOO_LARGE");
    const toolCallMessages = [{ role: "tool", tool_call_id: "c", content: "z".repeat(1_000_001) }];
    expectError(await post(app, "weather", "execute", { executionId: "x", pausedAtStep: "y", toolCallMessages }), 413, "MESSAGES_TOO_LARGE");
  });
});

describe("tool calls on /execute", () => {
  async function pause(message = "What is the weather in Paris?") {
    const answer = await post(app, "weather", "execute", { message, tools: WEATHER_TOOLS });
    expect(answer.json.status).toBe("tool_calls_required");
    return answer.json;
  }

  it("pauses with every field of the paused shape", async () => {
    const paused = await pause();
    expect(paused).toEqual({
      status: "tool_calls_required",
      executionId: expect.any(String),
      pausedAtStep: "forecast",
      iterationsUsed: 1,
      toolCallMessages: [
        { role: "user", content: "What is the weather in Paris?" },
        { role: "assistant", content: null, tool_calls: paused.toolCalls },
      ],
      toolCalls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } }],
      accumulatedOutputs: {},
      flowId: "flow_examples/demo/weather",
      blockCount: 1,
    });
  });

  it("answers directly without matching tools", async () => {
    expect((await post(app, "weather", "execute", { message: "weather in Oslo" })).json.result).toContain("Oslo");
  });

  it.each([
    ["OpenAI", { role: "tool", tool_call_id: "call_1", content: "sunny, 21 C" }, "sunny, 21 C"],
    ["camelCase", { role: "tool", toolCallId: "call_1", content: "rainy" }, "rainy"],
    ["README", { tool_call_id: "call_1", output: "foggy" }, "foggy"],
    ["JSON content", { role: "tool", tool_call_id: "call_1", content: { temp: 21 } }, '{"temp":21}'],
  ])("resumes with a tool result in the %s spelling", async (_name, result, expected) => {
    const paused = await pause();
    const resumed = await post(app, "weather", "execute", {
      message: null,
      tools: WEATHER_TOOLS,
      executionId: paused.executionId,
      pausedAtStep: paused.pausedAtStep,
      iterationsUsed: paused.iterationsUsed,
      toolCallMessages: [...paused.toolCallMessages, result],
      accumulatedOutputs: paused.accumulatedOutputs,
      trace: false,
    });
    expect(resumed.json).toMatchObject({ status: "completed", executionId: paused.executionId, result: `Weather in Paris: ${expected}` });
  });

  it("checks resumes: unknown or finished execution, wrong step, mismatched results, iteration limit", async () => {
    const paused = await pause();
    const resume = (patch: Record<string, unknown>) =>
      post(app, "weather", "execute", {
        executionId: paused.executionId,
        pausedAtStep: "forecast",
        iterationsUsed: 1,
        toolCallMessages: [...paused.toolCallMessages, { role: "tool", tool_call_id: "call_1", content: "ok" }],
        ...patch,
      });
    expectError(await resume({ executionId: "no-such-run" }), 400, "EXECUTION_ID_INVALID");
    expectError(await resume({ pausedAtStep: "elsewhere" }), 409, "PAUSED_STEP_INVALID");
    expectError(await resume({ iterationsUsed: 11 }), 409, "TOOL_ITERATION_LIMIT");
    const missing = await resume({ toolCallMessages: paused.toolCallMessages });
    expect(expectError(missing, 400, "TOOL_RESULTS_MISMATCH").message).toContain("missing results for call_1");
    const extra = await resume({
      toolCallMessages: [...paused.toolCallMessages, { role: "tool", tool_call_id: "call_1", content: "a" }, { role: "tool", tool_call_id: "call_9", content: "b" }],
    });
    expect(expectError(extra, 400, "TOOL_RESULTS_MISMATCH").message).toContain("call_9");
    expectError(await resume({ pausedAtStep: undefined }), 400, "BAD_REQUEST");
    expect((await resume({})).json.status).toBe("completed");
    expectError(await resume({}), 400, "EXECUTION_ID_INVALID");
  });
});
