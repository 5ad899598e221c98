import { APITimeoutError, AsyncNoukai, FlowExecutionError, type LogEvent, type StreamEvent, ValueError } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, collect, makeClient, TEST_KEY, settle } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { TEST_FLOWS, WEATHER_TOOLS } from "../helpers/test-flows.js";

const local = useLocalServer({ flows: TEST_FLOWS });

describe.each(CLIENT_KINDS)("%s steps() and events()", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, org: "examples", project: "demo", ...extra });

  it("yields each completed step with its index, output, timing, tokens and cost", async () => {
    const steps = await collect(client().flow("two-step").steps({ message: "rivers" }));
    expect(steps.map((s) => [s.stepIndex, s.stepId, s.output])).toEqual([
      [0, "outline", "Outline of: rivers"],
      [1, "write", "Article from [Outline of: rivers]"],
    ]);
    for (const step of steps) {
      expect(step.type).toBe("step_completed");
      expect(Number.isInteger(step.durationMs)).toBe(true);
      expect(step.tokens?.total).toBe((step.tokens?.prompt ?? 0) + (step.tokens?.completion ?? 0));
      expect(step.costUsd).toMatch(/^\d+\.\d+$/);
    }
  });

  it("throws the failed step as a typed error, after the steps that completed", async () => {
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const step of client().flow("broken").steps({ message: "x" })) seen.push(step.stepId);
    } catch (error) {
      failure = error;
    }
    expect(seen).toHaveLength(1);
    expect(failure).toBeInstanceOf(FlowExecutionError);
    expect(failure).toMatchObject({
      step: { type: "step_error", stepId: expect.any(String) as string },
      executionId: expect.any(String) as string,
      // The id of the /step response that reported the failure, to quote to support.
      requestId: expect.stringMatching(/^req_/) as string,
    });
    expect((failure as Error).message).toMatch(/failed/);
  });

  it("yields every event of a step-by-step run, one request per step", async () => {
    const log: LogEvent[] = [];
    const events = await collect(client({ onLog: (e: LogEvent) => log.push(e) }).flow("two-step").events({ message: "lakes" }));
    expect(events.map((e) => e.type)).toEqual([
      "run_started",
      "step_started", "step_input", "step_output", "step_completed", "step_paused",
      "step_started", "step_input", "step_output", "step_completed",
      "flow_completed",
    ]);
    expect(log.filter((e) => e.phase === "request")).toHaveLength(2);
    const last = events.at(-1) as StreamEvent;
    expect(last.type === "flow_completed" && last.result).toBe("Article from [Outline of: lakes]");
    // A step's output comes under both names the official sources use, each equal to the completed step's output.
    const completed = events.flatMap((e) => (e.type === "step_completed" ? [e.output] : []));
    const outputs = events.flatMap((e) => (e.type === "step_output" ? [e] : []));
    expect(outputs.map((e) => e.outputData)).toEqual(completed);
    expect(outputs.map((e) => e.outputContext)).toEqual(completed);
  });

  it("runs every remaining step in one stream with runRemaining", async () => {
    const log: LogEvent[] = [];
    const events = await collect(client({ onLog: (e: LogEvent) => log.push(e) }).flow("two-step").events({ message: "seas", runRemaining: true }));
    expect(events.filter((e) => e.type === "step_paused")).toEqual([]);
    expect(events.filter((e) => e.type === "step_completed").map((e) => e.type === "step_completed" && e.stepIndex)).toEqual([0, 1]);
    expect(log.filter((e) => e.phase === "request")).toHaveLength(1);
  });

  it("applies input overrides, visibly", async () => {
    const steps = await collect(client().flow("two-step").steps({ message: "rivers", inputOverrides: { outline: { message: "mountains" } } }));
    expect(steps[0]?.output).toBe("Outline of: mountains");
  });

  it("pauses an event stream for tool calls and resumes it with results", async () => {
    const types: string[] = [];
    for await (const event of client().flow("weather").events({ message: "weather in Kyiv", tools: WEATHER_TOOLS })) {
      types.push(event.type);
      if (event.type === "tool_calls_required") {
        expect(event.toolCalls[0]?.function.name).toBe("get_weather");
        await event.resume({ toolResults: event.toolCalls.map((call) => ({ toolCallId: call.id, output: "snow" })) });
      }
      if (event.type === "flow_completed") expect(event.result).toBe("Weather in Kyiv: snow");
    }
    expect(types).toEqual(["run_started", "step_started", "step_input", "tool_calls_required", "step_output", "step_completed", "flow_completed"].filter((t) => types.includes(t)));
    expect(types).toContain("tool_calls_required");
    expect(types.at(-1)).toBe("flow_completed");
  });

  it("answers tool pauses in steps() with a handler, and asks for one without", async () => {
    const steps = await collect(
      client().flow("weather").steps({ message: "weather in Riga", tools: WEATHER_TOOLS, toolHandler: (calls) => calls.map((c) => ({ toolCallId: c.id, output: "fog" })) }),
    );
    expect(steps.map((s) => s.output)).toEqual(["Weather in Riga: fog"]);
    await expect(settle(() => collect(client().flow("weather").steps({ message: "weather in Riga", tools: WEATHER_TOOLS })))).rejects.toMatchObject({
      code: "TOOL_HANDLER_REQUIRED",
    });
  });

  it("refuses drafts before any request", async () => {
    expect(() => client().flow("two-step").events({ message: "x", version: "draft" })).toThrow(ValueError);
    expect(() => client().flow("two-step").steps({ message: "x", version: 0 })).toThrow(/draft/);
  });

  it("bounds the silence between events, not the whole stream", async () => {
    const flow = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl }).flow("tests/contract/gaps");
    const events = await collect(flow.events({ message: "x", runRemaining: true, timeout: 1_000 }));
    expect(events.filter((e) => e.type === "step_completed")).toHaveLength(3);
    let failure: unknown;
    try {
      await collect(flow.events({ message: "x", runRemaining: true, timeout: 150 }));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(APITimeoutError);
    expect((failure as Error).message).toMatch(/timed out after 150 ms/);
  });

  it("ends a stream that outlasts its totalTimeout, across its /step requests, however lively it is", async () => {
    const flow = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl }).flow("examples/demo/slow");
    const seen: string[] = [];
    const started = performance.now();
    let failure: unknown;
    try {
      // Three 300 ms steps, one request each: no silence reaches `timeout`, but the whole takes 900 ms.
      for await (const step of flow.steps({ message: "x", timeout: 5_000, totalTimeout: 450 })) seen.push(step.stepId);
    } catch (error) {
      failure = error;
    }
    const took = performance.now() - started;
    expect(seen).toHaveLength(1);
    expect(failure).toBeInstanceOf(APITimeoutError);
    expect(failure).toMatchObject({ code: "TOTAL_TIMEOUT", message: "The stream ran past its totalTimeout of 450 ms." });
    expect(took).toBeGreaterThanOrEqual(440);
    expect(took).toBeLessThan(1_500);
  });

  it("stops at once when the consumer leaves the loop, leaving no socket or timer behind", async () => {
    const fresh = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl });
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    for await (const event of fresh.flow("examples/demo/slow").events({ message: "x", runRemaining: true })) {
      if (event.type === "step_completed") break;
    }
    // Destroyed sockets leave the list on the next turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const resources = process.getActiveResourcesInfo();
    expect(resources.filter((r) => r === "Timeout").length).toBeLessThanOrEqual(before);
    expect(resources.filter((r) => r === "TCPSocketWrap")).toEqual([]);
    await fresh.close();
  });

  // Only an async iterator can be called again before its last call settled.
  if (kind === "AsyncNoukai") {
    it("answers next() calls made without waiting in order, and a return() made meanwhile after them", async () => {
      const fresh = new AsyncNoukai({ apiKey: TEST_KEY, baseUrl: local.baseUrl });
      const events = fresh.flow("examples/demo/two-step").events({ message: "rivers", runRemaining: true });
      const [first, second, third] = await Promise.all([events.next(), events.next(), events.next()]);
      expect([first, second, third].map((result) => (result.done === true ? "done" : result.value.type))).toEqual(["run_started", "step_started", "step_input"]);
      const [fourth, ended, after] = await Promise.all([events.next(), events.return?.(), events.next()]);
      expect(fourth).toMatchObject({ done: false });
      expect(ended).toEqual({ done: true, value: undefined });
      expect(after).toEqual({ done: true, value: undefined });
      await fresh.close();
    });
  }
});
