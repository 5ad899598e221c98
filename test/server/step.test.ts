import { describe, expect, it } from "vitest";
import { call, expectError, expectOneTerminal, flowPath, makeApp, names, parseSse, post, WEATHER_TOOLS } from "./helpers.js";

const app = makeApp();

async function step(slug: string, body: unknown, extra = {}) {
  const answer = await post(app, slug, "step", body, extra);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("text/event-stream");
  expect(answer.headers.get("cache-control")).toBe("no-cache");
  const events = parseSse(answer.text);
  return { events, terminal: expectOneTerminal(events) };
}

describe("POST …/step", () => {
  it("runs one step per call, with run_started only on the first call, until flow_completed", async () => {
    const first = await step("two-step", { stepIndex: 0, accumulatedOutputs: {}, message: "hi", parameters: {}, inputOverrides: {}, runRemaining: false, iterationsUsed: 0, trace: false });
    expect(names(first.events)).toEqual(["run_started", "step_started", "step_input", "step_output", "step_completed", "step_paused"]);
    const started = first.events[0]?.data;
    expect(started).toMatchObject({ runId: started.executionId, flowId: "flow_examples/demo/two-step", stepCount: 2 });
    expect(first.events.find((e) => e.event === "step_input")?.data.inputData).toEqual({ message: "hi" });
    expect(first.events.at(-1)?.data).toEqual({ eventType: "step_paused", stepId: "outline", stepIndex: 0 });
    const completed = first.events.find((e) => e.event === "step_completed")?.data;
    expect(Number.isInteger(completed.durationMs)).toBe(true);
    expect(typeof completed.costUsd).toBe("string");
    // The output under both names the official sources use for it.
    expect(first.events.find((e) => e.event === "step_output")?.data).toEqual({ eventType: "step_output", stepId: "outline", outputData: completed.output, outputContext: completed.output });

    const second = await step("two-step", {
      stepIndex: 1,
      accumulatedOutputs: { outline: completed.output },
      message: null,
      parameters: {},
      inputOverrides: {},
      runRemaining: false,
      iterationsUsed: 0,
      trace: false,
      executionId: started.executionId,
    });
    expect(names(second.events)).toEqual(["step_started", "step_input", "step_output", "step_completed", "flow_completed"]);
    expect(second.events[0]?.data.stepIndex).toBe(1);
    expect(second.events.at(-1)?.data).toMatchObject({
      runId: started.executionId,
      executionId: started.executionId,
      result: "Article from [Outline of: hi]",
      summary: { stepCount: 2, durationMs: expect.any(Number), tokens: expect.any(Object), costUsd: expect.stringMatching(/^\d+\.\d+$/) },
    });
  });

  it("runs every remaining step with runRemaining and no step_paused", async () => {
    const { events, terminal } = await step("retry-loop", { message: "x", runRemaining: true, stepIndex: 0 });
    expect(terminal).toBe("flow_completed");
    expect(names(events).filter((n) => n === "step_completed")).toHaveLength(2);
    expect(events.at(-1)?.data.result).toEqual(["item 0 of x", "item 1 of x", "item 2 of x"]);
  });

  it("ends a failing run with step_error carrying an error object", async () => {
    const { events, terminal } = await step("broken", { message: "x", runRemaining: true });
    expect(terminal).toBe("step_error");
    expect(events.at(-1)?.data).toEqual({
      eventType: "step_error",
      stepId: "explode",
      name: "Explode",
      error: { code: "MODEL_ERROR", message: 'the mock model refused to answer step "explode"' },
    });
  });

  it("pauses for tool calls inside a stream and resumes at the flow-absolute step", async () => {
    const flow = {
      org: "examples",
      project: "demo",
      slug: "prep-then-weather",
      draft: {
        steps: [
          { id: "prep", template: "prepared {{message}}" },
          { id: "ask", template: "none", tools: { calls: [{ name: "get_weather", arguments: { location: "{{message | lastWord}}" } }], template: "{{tool.results.0}}" } },
          { id: "wrap", template: "done: {{steps.ask}}" },
        ],
      },
    };
    const local = makeApp({ flows: [flow] });
    const first = parseSse((await post(local, "prep-then-weather", "step", { message: "weather in Rome", runRemaining: true, tools: WEATHER_TOOLS })).text);
    expect(expectOneTerminal(first)).toBe("step_paused_for_tool_calls");
    const pause = first.at(-1)?.data;
    expect(pause).toMatchObject({ runId: pause.executionId, stepId: "ask", stepIndex: 1, iterationsUsed: 1, accumulatedOutputs: { prep: "prepared weather in Rome" } });
    expect(pause.toolCalls[0].function).toEqual({ name: "get_weather", arguments: '{"location":"Rome"}' });

    const resume = (patch: Record<string, unknown>) =>
      post(local, "prep-then-weather", "step", {
        executionId: pause.executionId,
        stepIndex: 1,
        runRemaining: true,
        tools: WEATHER_TOOLS,
        iterationsUsed: 1,
        toolCallMessages: [...pause.toolCallMessages, { role: "tool", tool_call_id: pause.toolCalls[0].id, content: "hot" }],
        ...patch,
      });
    expectError(await resume({ stepIndex: 2 }), 409, "INVALID_STEP_INDEX");
    expectError(await resume({ toolCallMessages: pause.toolCallMessages }), 400, "TOOL_RESULTS_MISMATCH");
    expectError(await resume({ toolCallMessages: undefined }), 400, "TOOL_RESULTS_MISMATCH");
    const resumed = parseSse((await resume({})).text);
    expect(expectOneTerminal(resumed)).toBe("flow_completed");
    expect(resumed.at(-1)?.data.result).toBe("done: hot");
  });

  it("checks the cursor: unknown run, wrong stepIndex, finished run, first call not at 0, /v0", async () => {
    const first = parseSse((await post(app, "two-step", "step", { message: "m" })).text);
    const executionId = first[0]?.data.executionId;
    expectError(await post(app, "two-step", "step", { executionId: "nope", stepIndex: 1 }), 404, "RUN_NOT_FOUND");
    expectError(await post(app, "hello", "step", { executionId, stepIndex: 1 }), 404, "RUN_NOT_FOUND");
    const wrong = await post(app, "two-step", "step", { executionId, stepIndex: 0 });
    expect(expectError(wrong, 409, "INVALID_STEP_INDEX").message).toContain("next step");
    await step("two-step", { executionId, stepIndex: 1 });
    expectError(await post(app, "two-step", "step", { executionId, stepIndex: 2 }), 409, "INVALID_STEP_INDEX");
    expectError(await post(app, "two-step", "step", { message: "m", stepIndex: 1 }), 400, "INVALID_FIRST_CALL");
    expectError(await call(app, flowPath("two-step", "/v0/step"), { body: { message: "m" } }), 400, "INVALID_VERSION");
    expectError(await post(app, "two-step", "step", { stepIndex: 0, message: null }), 400, "MISSING_MESSAGE");
  });

  it("accepts Accept: application/json on the SSE route and the /vN form", async () => {
    const answer = await call(app, flowPath("two-step", "/v1/step"), { body: { message: "m", runRemaining: true }, headers: { accept: "application/json" } });
    expect(expectOneTerminal(parseSse(answer.text))).toBe("flow_completed");
  });
});

describe("closing the server during a /step stream", () => {
  it("still ends the stream with one terminal event, step_error SERVER_CLOSING", async () => {
    const local = makeApp();
    const response = await local.fetch(
      new Request("http://local.test/api/v1/seq/examples/demo/slow/step", {
        method: "POST",
        headers: { authorization: "Bearer nk_x" },
        body: '{"message":"m","runRemaining":true}',
      }),
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("event: step_completed")) text += new TextDecoder().decode((await reader.read()).value);
    await local.close();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    const events = parseSse(text);
    expect(expectOneTerminal(events)).toBe("step_error");
    expect(events.at(-1)?.data).toMatchObject({ stepId: "second", error: { code: "SERVER_CLOSING" } });
    expect(local.stats().stored.openStreams).toBe(0);
  });
});
