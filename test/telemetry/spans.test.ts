/**
 * OpenTelemetry from the stream, for both clients, against the local server
 * over loopback: the span tree of each kind of call, its links to the
 * caller's span, its attributes, and the traceparent the server recorded.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { type Middleware, replayScope, type ToolCall } from "noukai";
import { startServer } from "noukai/server";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_KINDS, collect, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { WEATHER_TOOLS } from "../helpers/test-flows.js";
import { idOf, named, only, parentOf, renderTree, setUpTracing } from "./tracing.js";

const local = useLocalServer();
const tracing = setUpTracing();
afterEach(() => tracing.exporter.reset());

const sunny = (calls: ToolCall[]) => calls.map((call) => ({ toolCallId: call.id, output: "sunny" }));

/** The run's record on the local server: what it was created with. */
async function recordedTraceparent(baseUrl: string, slug: string, executionId: string): Promise<unknown> {
  const response = await fetch(`${baseUrl}/seq/examples/demo/${slug}/runs/${executionId}/trace`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
  const trace = (await response.json()) as { flowRun: { traceparent?: string } };
  return trace.flowRun.traceparent;
}

/** The traceparent a span's context makes (sampled). */
function traceparentOf(span: ReadableSpan): string {
  return `00-${span.spanContext().traceId}-${idOf(span)}-01`;
}

/** Waits for spans that end after the call returned (`otelSteps` with AsyncNoukai fetches afterwards). */
async function eventually(check: () => boolean): Promise<void> {
  for (let tries = 0; !check(); tries++) {
    if (tries > 200) throw new Error("the spans never came");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(CLIENT_KINDS)("%s telemetry", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, tracer: tracing.provider.getTracer("noukai"), ...extra });

  /** Runs the work inside an active span of the caller's own, as a user's code would (for the blocking client, synchronously inside it). */
  const inSpan = <T>(name: string, work: () => T): Promise<Awaited<T>> =>
    tracing.tracer.startActiveSpan(name, async (span): Promise<Awaited<T>> => {
      try {
        return await work();
      } finally {
        span.end();
      }
    });

  it("gives an execute with a tool round its CLIENT span under the caller's, and the tool its execute_tool span under it", async () => {
    const c = client();
    const result = await inSpan("answer the customer", () =>
      c.flow("examples/demo/weather").execute({ message: "weather in Paris", tools: WEATHER_TOOLS, toolHandler: sunny }),
    );
    const spans = tracing.spans();
    expect(renderTree(spans, ["gen_ai.tool.name"])).toEqual([
      "answer the customer  INTERNAL UNSET",
      "└── noukai.flow.execute  CLIENT OK",
      "    └── execute_tool get_weather  INTERNAL OK  gen_ai.tool.name=get_weather",
    ]);
    const user = only(spans, "answer the customer");
    const execute = only(spans, "noukai.flow.execute");
    const tool = only(spans, "execute_tool get_weather");
    expect(parentOf(execute)).toBe(idOf(user));
    expect(parentOf(tool)).toBe(idOf(execute));
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(execute.attributes).toMatchObject({
      "noukai.org": "examples",
      "noukai.project": "demo",
      "noukai.flow.slug": "weather",
      "noukai.flow.version": "production",
      "noukai.execution_id": result.executionId,
      "noukai.flow.status": "completed",
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "noukai",
      "gen_ai.agent.name": "examples/demo/weather",
      "http.request.method": "POST",
      "http.response.status_code": 200,
      "url.full": `${local.baseUrl}/seq/examples/demo/weather/execute`,
      "server.address": "127.0.0.1",
      "server.port": Number(new URL(local.baseUrl).port),
    });
    expect(tool.attributes).toEqual({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.call.id": "call_1",
      "gen_ai.tool.type": "function",
      "noukai.step.id": "forecast",
    });
    // The run was created by the execute span's request: the service's spans can join the caller's trace.
    expect(await recordedTraceparent(local.baseUrl, "weather", result.executionId ?? "")).toBe(traceparentOf(execute));
  });

  it("makes a runRemaining stream's step spans live, the failing step's and the call's ERROR with the step's code", async () => {
    const c = client();
    const events = await inSpan("run the broken flow", async () => collect(c.flow("examples/demo/broken").events({ message: "hi", runRemaining: true })));
    expect(events.map((event) => event.type)).toContain("step_error");
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.step.id", "error.type"])).toEqual([
      "run the broken flow  INTERNAL UNSET",
      "└── noukai.flow.events  CLIENT ERROR  error.type=MODEL_ERROR",
      "    ├── noukai.flow.step  INTERNAL OK  noukai.step.id=prepare",
      "    └── noukai.flow.step  INTERNAL ERROR  noukai.step.id=explode error.type=MODEL_ERROR",
    ]);
    const call = only(spans, "noukai.flow.events");
    const [prepare, explode] = named(spans, "noukai.flow.step");
    expect(call.attributes).toMatchObject({ "noukai.flow.status": "failed", "noukai.flow.slug": "broken", "gen_ai.usage.input_tokens": 4, "gen_ai.usage.output_tokens": 3 });
    expect(call.status.message).toMatch(/refused to answer step "explode"/);
    expect(prepare?.attributes).toMatchObject({
      "noukai.step.id": "prepare",
      "noukai.step.name": "Prepare",
      "noukai.step.index": 0,
      "noukai.step.status": "completed",
      "noukai.step.duration_ms": 0,
      "gen_ai.usage.input_tokens": 4,
      "gen_ai.usage.output_tokens": 3,
      "noukai.step.cost_usd": "0.00000650",
    });
    expect(explode?.attributes).toMatchObject({ "noukai.step.id": "explode", "noukai.step.status": "failed", "error.type": "MODEL_ERROR" });
    expect(explode?.status.message).toMatch(/refused/);
    const runId = events.find((event) => event.type === "run_started")?.executionId ?? "";
    expect(await recordedTraceparent(local.baseUrl, "broken", runId)).toBe(traceparentOf(call));
  });

  it("gives a job its submission's span and its wait's, with the run's id on both", async () => {
    const c = client();
    const status = await inSpan("a job", async () => {
      const job = await c.flow("examples/demo/hello").executeAsync({ message: "later" });
      return job.wait({ pollInterval: 20 });
    });
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.flow.status"])).toEqual([
      "a job  INTERNAL UNSET",
      "├── noukai.flow.execute_async  CLIENT OK  noukai.flow.status=pending",
      "└── noukai.job.wait  CLIENT OK  noukai.flow.status=completed",
    ]);
    const submit = only(spans, "noukai.flow.execute_async");
    const wait = only(spans, "noukai.job.wait");
    expect(submit.attributes["noukai.execution_id"]).toBe(status.executionId);
    expect(wait.attributes).toMatchObject({ "noukai.execution_id": status.executionId, "http.request.method": "GET" });
    expect(wait.attributes["gen_ai.operation.name"]).toBeUndefined();
    expect(await recordedTraceparent(local.baseUrl, "hello", status.executionId)).toBe(traceparentOf(submit));
  });

  it("shows each retry as an event of the call's span, with the attempt and the reason", async () => {
    const faulty = await startServer({ port: 0, faults: [{ route: "execute", status: 503, times: 1, retryAfter: 0 }] });
    try {
      const c = makeClient(kind, { apiKey: TEST_KEY, baseUrl: faulty.baseUrl, tracer: tracing.provider.getTracer("noukai"), maxRetries: 2 });
      await settle(() => c.flow("examples/demo/hello").execute({ message: "again" }));
      const execute = only(tracing.spans(), "noukai.flow.execute");
      expect(execute.status.code).toBe(1);
      expect(execute.attributes["http.request.resend_count"]).toBe(1);
      expect(execute.events.map((event) => [event.name, event.attributes])).toEqual([
        ["noukai.retry", { "noukai.retry.attempt": 0, "noukai.retry.delay_ms": expect.any(Number) as number, "http.response.status_code": 503 }],
      ]);
    } finally {
      await faulty.close();
    }
  });

  it("ends the span of a stream left early, and the step it left open", async () => {
    const c = client();
    for await (const event of c.flow("examples/demo/two-step").events({ message: "hi" })) if (event.type === "step_started") break;
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.stream.abandoned", "noukai.step.status"])).toEqual([
      "noukai.flow.events  CLIENT UNSET  noukai.stream.abandoned=true",
      "└── noukai.flow.step  INTERNAL UNSET  noukai.step.status=abandoned",
    ]);
  });

  it("spans steps() across its /step requests, each carrying the call's traceparent", async () => {
    const sent: (string | undefined)[] = [];
    const watcher: Middleware = { onRequest: (request) => void sent.push(request.headers["traceparent"]) };
    const c = client({ middleware: [watcher] });
    const steps = await collect(c.flow("examples/demo/two-step").steps({ message: "hi" }));
    expect(steps).toHaveLength(2);
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.step.id"])).toEqual([
      "noukai.flow.steps  CLIENT OK",
      "├── noukai.flow.step  INTERNAL OK  noukai.step.id=outline",
      "└── noukai.flow.step  INTERNAL OK  noukai.step.id=write",
    ]);
    const call = only(spans, "noukai.flow.steps");
    expect(sent).toEqual([traceparentOf(call), traceparentOf(call)]);
    expect(call.attributes).toMatchObject({ "noukai.flow.status": "completed", "gen_ai.usage.input_tokens": 8, "gen_ai.usage.output_tokens": 12, "noukai.flow.cost_usd": "0.00002200" });
  });

  it("makes a root span when the caller has none active, and records an error's type and exception", async () => {
    const c = client();
    await expect(settle(() => c.flow("examples/demo/missing").execute({ message: "x" }))).rejects.toMatchObject({ name: "FlowNotFoundError" });
    const execute = only(tracing.spans(), "noukai.flow.execute");
    expect(parentOf(execute)).toBeUndefined();
    expect(execute.status).toEqual({ code: 2, message: expect.stringMatching(/not found/) as string });
    expect(execute.attributes).toMatchObject({ "error.type": "FLOW_NOT_FOUND", "http.response.status_code": 404 });
    expect(execute.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("gives every step its span from a trace full of nulls", async () => {
    const nulls: Middleware = {
      name: "null-trace",
      onRequest: (request) =>
        request.path.endsWith("/trace")
          ? {
              status: 200,
              body: {
                flowRun: { id: "r", flowId: null, status: null, startedAt: null },
                steps: [
                  { stepId: "a", attempt: null, loopIndex: null, status: "completed", startedAt: null, completedAt: null, durationMs: null, modelUsed: null, tokens: null, costUsd: null },
                  null,
                  { stepId: "b", attempt: 1, status: "failed", startedAt: "2026-01-01T00:00:00Z", completedAt: "not a date", tokens: { prompt: null, completion: 5 }, errorContext: null },
                  { stepId: null, status: null },
                  { stepId: "c", attempt: 2, status: "completed", startedAt: "2026-01-01T00:00:01Z", durationMs: 1500, modelUsed: "mock", tokens: { prompt: 1, completion: 2, total: 3 }, costUsd: "0.1" },
                ],
              },
            }
          : undefined,
    };
    const c = client({ middleware: [nulls] });
    await settle(() => c.flow("examples/demo/hello").run("exec-nulls").trace());
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.step.id", "noukai.answered_by"])).toEqual([
      "noukai.run.trace  CLIENT OK  noukai.answered_by=null-trace",
      "├── noukai.flow.step  INTERNAL ERROR  noukai.step.id=b",
      "├── noukai.flow.step  INTERNAL OK  noukai.step.id=c",
      "├── noukai.flow.step  INTERNAL OK  noukai.step.id=a",
      "└── noukai.flow.step  INTERNAL UNSET  noukai.step.id=",
    ]);
    const [b, c2] = named(spans, "noukai.flow.step");
    expect(b?.attributes).toMatchObject({ "noukai.step.attempt": 1, "gen_ai.usage.output_tokens": 5 });
    expect(b?.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(c2?.attributes).toMatchObject({ "gen_ai.request.model": "mock", "noukai.step.cost_usd": "0.1", "noukai.step.duration_ms": 1500 });
    // Placed at the time the service recorded, for as long as it says.
    expect(hr(c2?.endTime) - hr(c2?.startTime)).toBeCloseTo(1.5, 3);
    expect(new Date(hr(c2?.startTime) * 1000).toISOString()).toBe("2026-01-01T00:00:01.000Z");
  });

  it("leaves out counts and durations no step can have (negative, past 2^53), as it leaves out missing ones", async () => {
    const absurd: Middleware = {
      name: "absurd-trace",
      onRequest: (request) =>
        request.path.endsWith("/trace")
          ? { status: 200, body: { flowRun: { id: "r" }, steps: [{ stepId: "a", status: "completed", attempt: -1, durationMs: -5e300, tokens: { prompt: -10, completion: 1e308 } }] } }
          : undefined,
    };
    await settle(() => client({ middleware: [absurd] }).flow("examples/demo/hello").run("exec-absurd").trace());
    const step = only(tracing.spans(), "noukai.flow.step");
    for (const name of ["noukai.step.attempt", "noukai.step.duration_ms", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"]) expect(step.attributes[name]).toBeUndefined();
    expect(hr(step.endTime) - hr(step.startTime)).toBeGreaterThanOrEqual(0);
  });

  it("makes at most 1,000 step spans from one trace, and counts the rest on the call's span", async () => {
    const huge: Middleware = {
      name: "huge-trace",
      onRequest: (request) =>
        request.path.endsWith("/trace") ? { status: 200, body: { flowRun: { id: "r" }, steps: Array.from({ length: 3_000 }, (_, index) => ({ stepId: `s${index}`, status: "completed" })) } } : undefined,
    };
    await settle(() => client({ middleware: [huge] }).flow("examples/demo/hello").run("exec-huge").trace());
    const spans = tracing.spans();
    expect(named(spans, "noukai.flow.step")).toHaveLength(1_000);
    expect(only(spans, "noukai.run.trace").attributes["noukai.trace.steps_not_traced"]).toBe(2_000);
  });

  it("still ends the call's span when a middleware's end of the call throws, and fails the call with that error", async () => {
    const failing: Middleware = {
      name: "failing-end",
      onCall: () => () => {
        throw new Error("the layer could not close");
      },
    };
    await expect(settle(() => client({ middleware: [failing] }).flow("examples/demo/hello").execute({ message: "x" }))).rejects.toThrow("the layer could not close");
    expect(named(tracing.spans(), "noukai.flow.execute")).toHaveLength(1);
  });

  it("sends at most 4,096 characters of a propagator's headers, so that a huge baggage cannot get the call refused", async () => {
    const api = await import("@opentelemetry/api");
    const bloated = {
      ...api,
      propagation: {
        inject: (_context: Context, carrier: Record<string, string>) => {
          carrier["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
          carrier["baggage"] = `big=${"x".repeat(20_000)}`;
        },
      },
    };
    const seen: Record<string, string>[] = [];
    const spy: Middleware = { name: "spy", onRequest: (request) => void seen.push({ ...request.headers }) };
    const result = await settle(() => client({ otel: bloated, middleware: [spy] }).flow("examples/demo/hello").execute({ message: "x" }));
    expect(result.status).toBe("completed");
    expect(seen[0]?.["traceparent"]).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    expect(seen[0]?.["baggage"]).toBeUndefined();
  });

  it("with otelSteps, fetches an ended run's trace for step spans under the call, outside the call's own time", async () => {
    const order = orderOfSpans();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(tracing.exporter), order.processor] });
    const c = client({ otelSteps: true, tracer: provider.getTracer("noukai") });
    const result = await settle(() => c.flow("examples/demo/two-step").execute({ message: "hi" }));
    await eventually(() => named(tracing.spans(), "noukai.flow.step").length === 2);
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.step.id"])).toEqual([
      "noukai.flow.execute  CLIENT OK",
      "├── noukai.flow.step  INTERNAL OK  noukai.step.id=outline",
      "├── noukai.flow.step  INTERNAL OK  noukai.step.id=write",
      "└── noukai.run.trace  CLIENT OK",
    ]);
    // The fetch is not part of the call's duration (the official SDK's was).
    expect(order.seen.slice(0, 3)).toEqual(["start noukai.flow.execute thread 0", "end noukai.flow.execute thread 0", "start noukai.run.trace thread 0"]);
    expect(only(spans, "noukai.run.trace").attributes["url.full"]).toBe(`${local.baseUrl}/seq/examples/demo/two-step/runs/${result.executionId}/trace`);
  });

  it("gives a resume its own span, on the same run, and a live trace its step spans", async () => {
    const c = client();
    const paused = await settle(() => c.flow("examples/demo/weather").execute({ message: "weather in Oslo", tools: WEATHER_TOOLS }));
    if (!paused.requiresToolCalls) throw new Error("the weather flow should pause for its tool");
    await settle(() => paused.resume({ toolResults: sunny(paused.toolCalls) }));
    await collect(c.flow("examples/demo/weather").run(paused.executionId).liveTrace());
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.flow.status", "noukai.step.id"])).toEqual([
      "noukai.flow.execute  CLIENT OK  noukai.flow.status=tool_calls_required",
      "noukai.flow.resume  CLIENT OK  noukai.flow.status=completed",
      "noukai.run.live_trace  CLIENT OK  noukai.flow.status=completed",
      "└── noukai.flow.step  INTERNAL OK  noukai.step.id=forecast",
    ]);
    for (const name of ["noukai.flow.execute", "noukai.flow.resume"]) expect(only(spans, name).attributes["noukai.execution_id"]).toBe(paused.executionId);
  });

  it("keeps concurrent calls' spans apart, each tool under its own call", async () => {
    const c = client();
    const cities = ["Oslo", "Lima", "Rome"];
    // Concurrent with AsyncNoukai; one after the other with the blocking client.
    await inSpan("three at once", () => Promise.all(cities.map((city) => settle(() => c.flow("examples/demo/weather").execute({ message: `weather in ${city}`, tools: WEATHER_TOOLS, toolHandler: sunny })))));
    const spans = tracing.spans();
    const executes = named(spans, "noukai.flow.execute");
    expect(executes).toHaveLength(3);
    const tools = named(spans, "execute_tool get_weather");
    expect(tools.map(parentOf).sort()).toEqual(executes.map(idOf).sort());
  });

  it("marks a tool handler that throws, and the call it failed, ERROR", async () => {
    const c = client();
    const broken = () => {
      throw new TypeError("the weather service is down");
    };
    await expect(settle(() => c.flow("examples/demo/weather").execute({ message: "weather in Oslo", tools: WEATHER_TOOLS, toolHandler: broken }))).rejects.toThrow("the weather service is down");
    const spans = tracing.spans();
    expect(renderTree(spans, ["error.type"])).toEqual([
      "noukai.flow.execute  CLIENT ERROR  error.type=TypeError",
      "└── execute_tool get_weather  INTERNAL ERROR  error.type=TypeError",
    ]);
    expect(only(spans, "execute_tool get_weather").status.message).toBe("the weather service is down");
  });

  it("holds a hostile stream's spans within bounds: steps started and never ended, ids of any length", async () => {
    const many = Array.from({ length: 300 }, (_, index) => ({ event: "step_started", data: { stepId: `s-${index}` } }));
    const hostile: Middleware = {
      onRequest: () => ({
        status: 200,
        events: [
          { event: "run_started", data: { runId: "r", executionId: "x".repeat(100_000) } },
          ...many,
          { event: "step_completed", data: { stepId: "y".repeat(100_000), tokens: null, costUsd: 3 } },
          { event: "flow_completed", data: { executionId: "r" } },
        ],
      }),
    };
    const c = client({ middleware: [hostile] });
    await collect(c.flow("examples/demo/two-step").events({ message: "hi", runRemaining: true }));
    const spans = tracing.spans();
    const steps = named(spans, "noukai.flow.step");
    expect(steps).toHaveLength(301);
    // The oldest were ended as more started, the rest with the call.
    expect(steps.filter((step) => step.attributes["noukai.step.status"] === "unfinished")).toHaveLength(300);
    const longest = Math.max(...spans.flatMap((span) => Object.values(span.attributes)).map((value) => String(value).length));
    expect(longest).toBeLessThanOrEqual(1025);
  });

  it("fetches no step trace inside a recording, and makes the replayed calls' spans with nothing sent", async () => {
    const cassette = join(mkdtempSync(join(tmpdir(), "noukai-otel-")), "weather.json");
    const c = client({ otelSteps: true });
    const call = () => c.flow("examples/demo/weather").execute({ message: "weather in Lima", tools: WEATHER_TOOLS, toolHandler: sunny });
    await replayScope(async () => call(), { record: cassette });
    const recorded = readFileSync(cassette, "utf8");
    expect(recorded).not.toContain("/trace");
    tracing.exporter.reset();
    await replayScope(async () => call(), { cassette });
    const spans = tracing.spans();
    expect(renderTree(spans, ["noukai.answered_by"])).toEqual([
      "noukai.flow.execute  CLIENT OK  noukai.answered_by=replay scope",
      "└── execute_tool get_weather  INTERNAL OK",
    ]);
  });

  it("makes its spans on the caller's thread, in order, each ended before the call returns; a stream's steps live", async () => {
    const order = orderOfSpans();
    const provider = new BasicTracerProvider({ spanProcessors: [order.processor] });
    const c = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, tracer: provider.getTracer("noukai") });
    await settle(() => c.flow("examples/demo/weather").execute({ message: "weather in Rome", tools: WEATHER_TOOLS, toolHandler: sunny }));
    expect(order.seen).toEqual([
      "start noukai.flow.execute thread 0",
      "start execute_tool get_weather thread 0",
      "end execute_tool get_weather thread 0",
      "end noukai.flow.execute thread 0",
    ]);
    order.seen.length = 0;
    const stream = c.flow("examples/demo/broken").events({ message: "hi", runRemaining: true });
    for await (const event of stream) order.seen.push(`the caller's loop gets ${event.type}`);
    expect(order.seen).toEqual([
      "start noukai.flow.events thread 0",
      "the caller's loop gets run_started",
      "start noukai.flow.step thread 0",
      "the caller's loop gets step_started",
      "the caller's loop gets step_input",
      "the caller's loop gets step_output",
      "end noukai.flow.step thread 0",
      "the caller's loop gets step_completed",
      "start noukai.flow.step thread 0",
      "the caller's loop gets step_started",
      "the caller's loop gets step_input",
      "end noukai.flow.step thread 0",
      "the caller's loop gets step_error",
      "end noukai.flow.events thread 0",
    ]);
  });
});

/** A span processor that notes, in order, each span's start and end, and the thread it happened on. */
function orderOfSpans(): { processor: SpanProcessor; seen: string[] } {
  const seen: string[] = [];
  const processor: SpanProcessor = {
    onStart: (span: Span, _context: Context) => void seen.push(`start ${span.name} thread ${threadId}`),
    onEnd: (span: ReadableSpan) => void seen.push(`end ${span.name} thread ${threadId}`),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  return { processor, seen };
}

function hr(time: readonly [number, number] | undefined): number {
  return time === undefined ? NaN : time[0] + time[1] / 1e9;
}
