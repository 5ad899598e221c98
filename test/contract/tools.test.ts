import { APIUserAbortError, type AsyncNoukai, FlowExecutionError, type LogEvent, type PausedResult, ToolCallLimitError, type ToolCall, ValueError } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { TEST_FLOWS, WEATHER_TOOLS } from "../helpers/test-flows.js";

const local = useLocalServer({ flows: TEST_FLOWS });
const SEARCH_TOOLS = [{ type: "function", function: { name: "search", parameters: { type: "object" } } }];

const weatherFor = (calls: ToolCall[]) =>
  calls.map((call) => {
    const { location } = JSON.parse(call.function.arguments) as { location: string };
    return { toolCallId: call.id, output: { location, sky: "sunny", celsius: 21 } };
  });

describe.each(CLIENT_KINDS)("%s tool calls", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, ...extra });

  it("answers tool calls with a handler and returns the final result", async () => {
    const seen: ToolCall[][] = [];
    const result = await client().flow("examples/demo/weather").execute({
      message: "What is the weather in Paris",
      tools: WEATHER_TOOLS,
      toolHandler: (calls) => {
        seen.push(calls);
        return weatherFor(calls);
      },
    });
    expect(result.status).toBe("completed");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]).toMatchObject({ type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } });
    expect(result).toMatchObject({ result: 'Weather in Paris: {"location":"Paris","sky":"sunny","celsius":21}' });
  });

  // An async handler suits the async client only: the blocking one refuses it
  // up front rather than block on a Promise it cannot wait for.
  if (kind === "AsyncNoukai") {
    it("awaits an async handler", async () => {
      const result = await (client() as AsyncNoukai).flow("examples/demo/weather").execute({
        message: "weather in Oslo",
        tools: WEATHER_TOOLS,
        toolHandler: async (calls) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return weatherFor(calls);
        },
      });
      expect(result).toMatchObject({ status: "completed", result: expect.stringContaining("Oslo") as string });
    });
  } else {
    it("refuses an async handler with a TypeError that points to AsyncNoukai", async () => {
      const attempt = settle(() =>
        client().flow("examples/demo/weather").execute({
          message: "weather in Oslo",
          tools: WEATHER_TOOLS,
          // What a JavaScript caller could pass: the types refuse it, the client must too.
          toolHandler: (async (calls: ToolCall[]) => weatherFor(calls)) as never,
        }),
      );
      await expect(attempt).rejects.toBeInstanceOf(TypeError);
      await expect(attempt).rejects.toThrow(/AsyncNoukai/);
    });
  }

  it("pauses without a handler, and resumes with the results", async () => {
    const paused = await client().flow("examples/demo/weather").execute({ message: "weather in Lima", tools: WEATHER_TOOLS });
    expect(paused.requiresToolCalls).toBe(true);
    if (paused.status !== "tool_calls_required") throw new Error("expected a pause");
    expect(paused).toMatchObject({ pausedAtStep: "forecast", iterationsUsed: expect.any(Number) as number });
    expect(paused.toolCalls.map((call) => call.function.name)).toEqual(["get_weather"]);
    const done = await paused.resume({ toolResults: weatherFor(paused.toolCalls) });
    expect(done).toMatchObject({ status: "completed", executionId: paused.executionId, result: expect.stringContaining("Lima") as string });
  });

  it("resumes in another process from the paused result's JSON", async () => {
    const paused = (await client().flow("examples/demo/weather").execute({ message: "weather in Cairo", tools: WEATHER_TOOLS })) as PausedResult;
    const json = JSON.stringify(paused);
    expect(JSON.parse(json)).not.toHaveProperty("resume");
    expect(JSON.parse(json)).not.toHaveProperty("requiresToolCalls");
    const elsewhere = client();
    const state = JSON.parse(json) as PausedResult;
    const done = await elsewhere.flow("examples/demo/weather").resume(state, { toolResults: weatherFor(state.toolCalls) });
    expect(done).toMatchObject({ status: "completed", result: expect.stringContaining("Cairo") as string });
    await expect(settle(() => elsewhere.flow("examples/demo/hello").resume(state, { toolResults: [] }))).rejects.toThrow(/belongs to flow "examples\/demo\/weather"/);
  });

  it("accepts every tool-result spelling", async () => {
    const flow = client().flow("tests/contract/three-rounds");
    const spellings = [
      (call: ToolCall) => ({ toolCallId: call.id, output: "a" }),
      (call: ToolCall) => ({ tool_call_id: call.id, output: "b" }),
      (call: ToolCall) => ({ role: "tool" as const, tool_call_id: call.id, content: "c" }),
    ];
    let round = 0;
    const result = await flow.execute({
      message: "weather in Rome",
      tools: WEATHER_TOOLS,
      toolHandler: (calls) => calls.map((call) => (spellings[round++ % 3] as (c: ToolCall) => never)(call)),
    });
    expect(result).toMatchObject({ status: "completed", result: expect.stringContaining("after three rounds") as string });
  });

  it("stops at maxToolRounds with ToolCallLimitError", async () => {
    const flow = client().flow("tests/contract/three-rounds");
    const attempt = settle(() => flow.execute({ message: "weather in Rome", tools: WEATHER_TOOLS, toolHandler: weatherFor, maxToolRounds: 2 }));
    await expect(attempt).rejects.toBeInstanceOf(ToolCallLimitError);
    await expect(attempt).rejects.toMatchObject({ code: "TOOL_CALL_LIMIT_CLIENT", executionId: expect.any(String) as string });
  });

  it("stops the research example, which asks for tools over three rounds, at maxToolRounds: 1", async () => {
    const rounds: string[] = [];
    const attempt = settle(() =>
      client().flow("examples/demo/research").execute({
        message: "tides",
        tools: SEARCH_TOOLS,
        maxToolRounds: 1,
        toolHandler: (calls) => calls.map((call) => (rounds.push(call.function.arguments), { toolCallId: call.id, output: "page" })),
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(ToolCallLimitError);
    expect(rounds).toEqual(['{"query":"tides","page":1}']);
    // With room for its three rounds it answers.
    const done = await settle(() => client().flow("examples/demo/research").execute({ message: "tides", tools: SEARCH_TOOLS, maxToolRounds: 3, toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: "p" })) }));
    expect(done).toMatchObject({ status: "completed", result: 'Findings on tides: ["p","p","p"]' });
  });

  it('keeps asking under toolChoice "required", so maxToolRounds: 1 stops even a one-round flow', async () => {
    const attempt = settle(() =>
      client().flow("examples/demo/weather").execute({
        message: "Use the get_weather tool to check the weather in Tokyo",
        tools: WEATHER_TOOLS,
        toolChoice: "required",
        maxToolRounds: 1,
        toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: "Temporary upstream error: retry the same call." })),
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(ToolCallLimitError);
    // Past the flow's own limit the service stops the step: the run fails, naming TOOL_ITERATION_LIMIT.
    const failed = await settle(() => client().flow("examples/demo/research").execute({ message: "tides", tools: SEARCH_TOOLS, toolChoice: "required", maxToolRounds: 50, toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: "more" })) }));
    expect(failed).toMatchObject({ status: "failed", result: expect.stringContaining("toolIterationLimit") as string });
  });

  it('answers at once under toolChoice "none", and calls only the function a named toolChoice names', async () => {
    const none = await settle(() => client().flow("examples/demo/weather").execute({ message: "weather in Lima", tools: WEATHER_TOOLS, toolChoice: "none" }));
    expect(none).toMatchObject({ status: "completed", result: "I would need a get_weather tool to check the weather in Lima." });
    const named = await settle(() => client().flow("examples/demo/research").execute({ message: "tides", tools: [...SEARCH_TOOLS, ...WEATHER_TOOLS], toolChoice: { type: "function", function: { name: "get_weather" } } }));
    expect(named.status === "tool_calls_required" && named.toolCalls.map((call) => call.function.name)).toEqual(["get_weather"]);
  });

  it("refuses a toolChoice naming a function that was not offered, with a typed error", async () => {
    const attempt = settle(() => client().flow("examples/demo/weather").execute({ message: "x", tools: WEATHER_TOOLS, toolChoice: { type: "function", function: { name: "search" } } }));
    await expect(attempt).rejects.toBeInstanceOf(FlowExecutionError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 400, code: "TOOLS_INVALID" });
  });

  it("refuses a handler's wrong ids before sending them", async () => {
    const log: LogEvent[] = [];
    const flow = client({ onLog: (e: LogEvent) => log.push(e) }).flow("examples/demo/weather");
    const attempt = settle(() => flow.execute({ message: "weather in Bern", tools: WEATHER_TOOLS, toolHandler: () => [{ toolCallId: "call_999", output: "x" }] }));
    await expect(attempt).rejects.toBeInstanceOf(ValueError);
    await expect(attempt).rejects.toThrow(/toolHandler's result answers tool call "call_999"/);
    expect(log.filter((e) => e.phase === "request")).toHaveLength(1);
  });

  it("lets a handler's own exception through unchanged", async () => {
    const failure = new Error("weather service down");
    const attempt = settle(() => client().flow("examples/demo/weather").execute({
      message: "weather in Bern",
      tools: WEATHER_TOOLS,
      toolHandler: () => {
        throw failure;
      },
    }));
    await expect(attempt).rejects.toBe(failure);
  });

  it("keeps the caller's signal on resumed rounds", async () => {
    const controller = new AbortController();
    const attempt = settle(() => client().flow("examples/demo/weather").execute({
      message: "weather in Quito",
      tools: WEATHER_TOOLS,
      signal: controller.signal,
      toolHandler: (calls) => {
        controller.abort();
        return weatherFor(calls);
      },
    }));
    await expect(attempt).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it("reports tools sent to a flow that takes none", async () => {
    const attempt = settle(() => client().flow("examples/demo/hello").execute({ message: "x", tools: WEATHER_TOOLS }));
    await expect(attempt).rejects.toBeInstanceOf(FlowExecutionError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 400, code: "TOOLS_NOT_ENABLED" });
  });
});
