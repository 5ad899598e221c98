/**
 * Turning telemetry on and off: the options and their checks, the API
 * loaded only when telemetry is on (and not at all when given), payloads
 * only when asked for (bounded and redacted), and the GenAI client metrics.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as otel from "@opentelemetry/api";
import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, type HistogramMetricData, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { ValueError } from "noukai";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_KINDS, collect, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { WEATHER_TOOLS } from "../helpers/test-flows.js";
import { only, setUpTracing } from "./tracing.js";

const local = useLocalServer();
const tracing = setUpTracing();
afterEach(() => tracing.exporter.reset());
const distIndex = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

/**
 * Whether a fresh process that makes a call with each client, given these
 * options (as source), asks `require` for `@opentelemetry/api`: how the
 * client loads it (a user's own `import` of it is not counted).
 */
function requiresApi(options: string, preamble = ""): boolean {
  const script = `
    import Module from "node:module";
    ${preamble}
    let asked = false;
    const original = Module.prototype.require;
    Module.prototype.require = function (id) {
      if (id === "@opentelemetry/api") asked = true;
      return original.apply(this, arguments);
    };
    const { AsyncNoukai, Noukai } = await import(${JSON.stringify(distIndex)});
    const answer = { name: "canned", onRequest: () => ({ status: 200, body: { status: "completed", result: 1, executionId: "e", flowId: "f", blockCount: 1 } }) };
    for (const Client of [AsyncNoukai, Noukai]) {
      const client = new Client({ apiKey: "nk_load_test", baseUrl: "http://127.0.0.1:9/api/v1", middleware: [answer], ...${options} });
      await client.flow("a/b/c").execute({ message: "x" });
      await client.close();
    }
    console.log(asked);
  `;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 }).trim()) as boolean;
}

describe("loading @opentelemetry/api", () => {
  it("loads nothing when telemetry is off, loads it when on, and not when the API is given", () => {
    expect(requiresApi("{}")).toBe(false);
    expect(requiresApi("{ otel: false, otelSteps: true }")).toBe(false);
    expect(requiresApi("{ otel: true }")).toBe(true);
    expect(requiresApi("{ otel: api }", 'import * as api from "@opentelemetry/api";')).toBe(false);
  });
});

describe.each(CLIENT_KINDS)("%s telemetry options", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, ...extra });

  it("refuses what is not a tracer, an API, or a boolean, naming the option", () => {
    expect(() => client({ tracer: {} })).toThrow(/^tracer must be an OpenTelemetry Tracer/);
    expect(() => client({ tracer: {} })).toThrow(TypeError);
    expect(() => client({ otel: "yes" })).toThrow(/^otel must be true, false, or the @opentelemetry\/api module/);
    expect(() => client({ otel: { trace: {} } })).toThrow(TypeError);
    expect(() => client({ otelSteps: 1 })).toThrow(/^otelSteps must be true or false/);
    expect(() => client({ otelPayloads: "all" })).toThrow(/^otelPayloads must be true or false/);
    expect(() => client({ otelStepPayloads: true })).toThrow(ValueError);
  });

  it("turns on with otel: true (the global provider), with the API given, or with a tracer; otel: false wins", async () => {
    await settle(() => client({ otel: true }).flow("examples/demo/hello").execute({ message: "global" }));
    expect(only(tracing.spans(), "noukai.flow.execute").instrumentationScope).toMatchObject({ name: "noukai", version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string });
    tracing.exporter.reset();
    await settle(() => client({ otel }).flow("examples/demo/hello").execute({ message: "given" }));
    expect(tracing.spans().map((span) => span.name)).toEqual(["noukai.flow.execute"]);
    tracing.exporter.reset();
    await settle(() => client({ tracer: tracing.provider.getTracer("mine") }).flow("examples/demo/hello").execute({ message: "mine" }));
    expect(only(tracing.spans(), "noukai.flow.execute").instrumentationScope.name).toBe("mine");
    tracing.exporter.reset();
    await settle(() => client({ otel: false, tracer: tracing.provider.getTracer("mine"), otelSteps: true }).flow("examples/demo/hello").execute({ message: "off" }));
    expect(tracing.spans()).toEqual([]);
  });

  it("puts no payload on a span unless asked", async () => {
    const c = client({ otel: true });
    await settle(() => c.flow("examples/demo/weather").execute({ message: "weather in Oslo", parameters: { ssn: "123-45-6789" }, tools: WEATHER_TOOLS, toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: "sunny" })) }));
    await collect(c.flow("examples/demo/two-step").events({ message: "weather in Oslo" }));
    const text = JSON.stringify(tracing.spans().map((span) => span.attributes));
    expect(text).not.toContain("Oslo");
    expect(text).not.toContain("123-45-6789");
    expect(text).not.toContain("sunny");
  });

  it("with otelPayloads, shows the request, result, steps and tools, redacted by redact and cut to 4096 characters", async () => {
    const c = client({ otel: true, otelPayloads: true, redact: ["parameters.ssn", "location"] });
    await settle(() =>
      c.flow("examples/demo/weather").execute({ message: "weather in Oslo", parameters: { ssn: "123-45-6789" }, tools: WEATHER_TOOLS, toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: { sky: "sunny" } })) }),
    );
    const execute = only(tracing.spans(), "noukai.flow.execute");
    const body = String(execute.attributes["noukai.request.body"]);
    expect(JSON.parse(body)).toMatchObject({ message: "weather in Oslo", parameters: { ssn: "[redacted]" } });
    expect(String(execute.attributes["noukai.flow.result"])).toBe('Weather in Oslo: {"sky":"sunny"}');
    const tool = only(tracing.spans(), "execute_tool get_weather");
    expect(tool.attributes["gen_ai.tool.call.arguments"]).toBe('{"location":"[redacted]"}');
    expect(tool.attributes["gen_ai.tool.call.result"]).toBe('{"sky":"sunny"}');
    tracing.exporter.reset();
    await collect(c.flow("examples/demo/two-step").events({ message: "rivers", parameters: { ssn: "123-45-6789" } }));
    const [outline] = tracing.spans().filter((span) => span.name === "noukai.flow.step");
    expect(outline?.attributes).toMatchObject({
      // The step's input holds the run's parameters: the same path reaches them there.
      "noukai.step.input": '{"message":"rivers","parameters":{"ssn":"[redacted]"}}',
      "noukai.step.output": "Outline of: rivers",
    });
    tracing.exporter.reset();
    await settle(() => c.flow("examples/demo/hello").execute({ message: `a very long message ${"and more ".repeat(1000)}` }));
    const long = String(only(tracing.spans(), "noukai.flow.execute").attributes["noukai.request.body"]);
    expect(long).toMatch(/…\[truncated \d+ chars\]$/);
    expect(long.length).toBeLessThan(4096 + 30);
  });

  it("records the GenAI client metrics: each run-starting call's duration, and the tokens its run reported", async () => {
    const reader = new CollectingReader();
    const meters = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(meters);
    try {
      const c = client({ otel: true });
      await collect(c.flow("examples/demo/two-step").events({ message: "hi", runRemaining: true }));
      await settle(() => c.flow("examples/demo/missing").execute({ message: "x" })).catch(() => undefined);
      const collected = await reader.collect();
      const all = collected.resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
      const duration = all.find((metric) => metric.descriptor.name === "gen_ai.client.operation.duration") as HistogramMetricData | undefined;
      const tokens = all.find((metric) => metric.descriptor.name === "gen_ai.client.token.usage") as HistogramMetricData | undefined;
      expect(duration?.descriptor.unit).toBe("s");
      expect(duration?.dataPoints.map((point) => [point.attributes["error.type"], point.value.count])).toEqual([
        [undefined, 1],
        ["FLOW_NOT_FOUND", 1],
      ]);
      expect(tokens?.dataPoints.map((point) => [point.attributes["gen_ai.token.type"], point.value.sum])).toEqual([
        ["input", 8],
        ["output", 12],
      ]);
      expect(tokens?.dataPoints[0]?.attributes).toMatchObject({ "gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "noukai" });
    } finally {
      metrics.disable();
      await meters.shutdown();
    }
  });
});

/** A reader collected on demand, as a test needs. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

