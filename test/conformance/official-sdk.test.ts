/**
 * The official TypeScript client, unchanged, against the local server. It can
 * only reach http://localhost:8080 (`env: "dev"`), so the test wraps
 * `globalThis.fetch` to send that origin to the server's ephemeral port.
 */
import { randomUUID } from "node:crypto";
import {
  AuthenticationError,
  FlowNotFoundError,
  InsufficientCreditsError,
  Noukai,
  PermissionDeniedError,
  RateLimitError,
  currentSessionId,
  traceScope,
  type StreamEvent,
} from "@noukai/sdk";
import { AsyncNoukai, currentSessionId as ourSessionId, replayScope } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "noukai/server";

const DEV_ORIGIN = "http://localhost:8080";
const realFetch = globalThis.fetch;
let target = "";
let main: RunningServer;
let guarded: RunningServer;

beforeAll(async () => {
  main = await startServer({ port: 0 });
  guarded = await startServer({
    port: 0,
    apiKeys: [{ key: "nk_a" }, { key: "nk_b" }, { key: "nk_c" }, { key: "nk_scoped", org: "other" }],
    credits: { broke: "0" },
    rateLimit: { requests: 2, windowSeconds: 60 },
    flows: [{ org: "broke", project: "demo", slug: "hello", draft: { steps: [{ id: "a" }] } }],
  });
  target = new URL(main.baseUrl).origin;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return realFetch(url.startsWith(DEV_ORIGIN) ? target + url.slice(DEV_ORIGIN.length) : input, init);
  };
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await Promise.all([main.close(), guarded.close()]);
});

const client = (apiKey = "nk_conformance") => new Noukai({ apiKey, env: "dev", maxRetries: 0 });
const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }];
const toolHandler = (calls: Record<string, unknown>[]) =>
  calls.map((call) => ({ tool_call_id: call.id, output: `sunny in ${JSON.parse((call.function as { arguments: string }).arguments).location}` }));

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe("@noukai/sdk 0.3.0 against the local server", () => {
  it("execute: plain and versioned", async () => {
    const noukai = client();
    const hello = await noukai.flow("examples/demo/hello").execute({ message: "conformance" });
    expect(hello).toMatchObject({ status: "completed", result: "Hello! You said: conformance", blockCount: 1, requiresToolCalls: false });
    const v1 = await noukai.flow({ org: "examples", project: "demo", slug: "two-step" }).execute({ message: "m", version: 1 });
    expect(v1.status === "completed" && v1.result).toBe("Article from [Outline of: m]");
    const failed = await noukai.flow("examples/demo/broken").execute({ message: "m" });
    expect(failed.status).toBe("failed");
  });

  it("execute with a toolHandler, and with a manual resume", async () => {
    const weather = client().flow("examples/demo/weather");
    const handled = await weather.execute({ message: "What is the weather in Lisbon?", tools, toolHandler });
    expect(handled).toMatchObject({ status: "completed", result: "Weather in Lisbon: sunny in Lisbon" });

    const paused = await weather.execute({ message: "And in Oslo?", tools });
    if (!paused.requiresToolCalls) throw new Error("expected a pause");
    expect(paused).toMatchObject({ pausedAtStep: "forecast", iterationsUsed: 1, accumulatedOutputs: {} });
    const id = String(paused.toolCalls[0]?.id);
    const resumed = await paused.resume({ toolResults: [{ role: "tool", tool_call_id: id, content: "cold" }] });
    expect(resumed).toMatchObject({ status: "completed", result: "Weather in Oslo: cold" });
  });

  it("steps(): one StepCompleted per step", async () => {
    const steps = await collect(client().flow("examples/demo/two-step").steps({ message: "m" }));
    expect(steps.map((s) => [s.type, s.stepId, s.stepIndex])).toEqual([
      ["step_completed", "outline", 0],
      ["step_completed", "write", 1],
    ]);
    expect(steps[1]?.output).toBe("Article from [Outline of: m]");
  });

  it("events(): step by step, and with runRemaining", async () => {
    const flow = client().flow("examples/demo/two-step");
    const paced = (await collect(flow.events({ message: "m" }))).map((e) => e.type);
    expect(paced.filter((t) => t === "step_paused")).toHaveLength(1);
    expect(paced.filter((t) => t === "run_started")).toHaveLength(1);
    expect(paced.at(-1)).toBe("flow_completed");
    const all = (await collect(flow.events({ message: "m", runRemaining: true }))).map((e) => e.type);
    expect(all).not.toContain("step_paused");
    expect(all.at(-1)).toBe("flow_completed");
  });

  it("events(): a tool pause inside the stream, resumed", async () => {
    const seen: StreamEvent[] = [];
    for await (const event of client().flow("examples/demo/weather").events({ message: "weather in Rome", tools, runRemaining: true })) {
      seen.push(event);
      if (event.type === "tool_calls_required") {
        await event.resume({ toolResults: [{ role: "tool", tool_call_id: event.toolCalls[0]?.id, content: "warm" }] });
      }
    }
    const types = seen.map((e) => e.type);
    expect(types).toContain("tool_calls_required");
    const done = seen.at(-1);
    expect(done?.type === "flow_completed" && done.result).toBe("Weather in Rome: warm");
  });

  it("executeAsync + wait, and poll", async () => {
    const job = await client().flow("examples/demo/slow").executeAsync({ message: "queued" });
    const first = await job.poll();
    expect(["pending", "running"]).toContain(first.status);
    const done = await job.wait({ pollInterval: 50, timeout: 10_000 });
    expect(done).toMatchObject({ status: "completed", result: "third: second: first: queued", error: null });
    expect((await job.poll()).status).toBe("completed");
  });

  it("trace, stepTrace (latest, all, a number) and liveTrace", async () => {
    const flow = client().flow("examples/demo/retry-loop");
    const executed = await flow.execute({ message: "t", trace: true });
    const run = flow.run(String(executed.executionId));
    const trace = await run.trace();
    expect(trace.flowRun).toMatchObject({ id: executed.executionId, status: "completed", stepCount: 2 });
    expect(trace.steps.map((s) => s.stepId)).toEqual(["flaky", "each"]);
    expect(await run.stepTrace("flaky")).toMatchObject({ stepId: "flaky", attempt: 3, status: "completed" });
    const all = await run.stepTrace("flaky", { attempt: "all" });
    expect("attempts" in all && all.attempts.map((a) => a.status)).toEqual(["failed", "failed", "completed"]);
    expect(await run.stepTrace("flaky", { attempt: 1 })).toMatchObject({ attempt: 1, status: "failed" });
    expect(await run.stepTrace("each", { loopIndex: 1 })).toMatchObject({ loopIndex: 1 });
    const live = (await collect(run.liveTrace())).map((e) => e.type);
    expect(live[0]).toBe("run_started");
    expect(live.at(-1)).toBe("flow_completed");
  });

  it("errors: 401, 402, 403, 404, 429", async () => {
    target = new URL(guarded.baseUrl).origin;
    try {
      const call = (key: string, slug = "examples/demo/hello") => new Noukai({ apiKey: key, env: "dev", maxRetries: 0 }).flow(slug).execute({ message: "m" });
      await expect(call("nk_unknown")).rejects.toBeInstanceOf(AuthenticationError);
      await expect(call("nk_a", "broke/demo/hello")).rejects.toBeInstanceOf(InsufficientCreditsError);
      await expect(call("nk_scoped")).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(call("nk_b", "examples/demo/missing")).rejects.toMatchObject({ statusCode: 404, code: "FLOW_NOT_FOUND" });
      await expect(call("nk_b", "examples/demo/missing")).rejects.toBeInstanceOf(FlowNotFoundError);
      await call("nk_c");
      await call("nk_c");
      const limited = await call("nk_c").catch((error: unknown) => error);
      expect(limited).toBeInstanceOf(RateLimitError);
      expect((limited as RateLimitError).retryAfter).toBeGreaterThan(0);
    } finally {
      target = new URL(main.baseUrl).origin;
    }
  });

  it("a traceScope capture whose session is then fetched, and replayed by the SDK", async () => {
    const noukai = client();
    const { sessionId, live } = await traceScope(async () => {
      const result = await noukai.flow("examples/demo/two-step").execute({ message: "captured" });
      return { sessionId: result.sessionId, live: result.status === "completed" ? result.result : undefined };
    });
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const response = await fetch(`${DEV_ORIGIN}/api/v1/seq/sessions/${sessionId}`, { headers: { authorization: "Bearer nk_conformance" } });
    const session = await response.json();
    expect(session.sessionId).toBe(sessionId);
    expect(session.executions).toHaveLength(1);
    expect(session.executions[0]).toMatchObject({ slug: "two-step", triggerType: "execute", status: "completed", snapshotsAvailable: true });
    expect(session.executions[0].steps.at(-1).outputSnapshot).toBe(live);

    const previous = process.env.NOUKAI_REPLAY_ENABLED;
    process.env.NOUKAI_REPLAY_ENABLED = "true";
    try {
      const replayed = await traceScope(() => noukai.flow("examples/demo/two-step").execute({ message: "anything" }), {
        replaySessionId: sessionId ?? randomUUID(),
        transport: noukai.flow("examples/demo/two-step")._transport,
      });
      expect(replayed).toMatchObject({ status: "completed", result: live });
    } finally {
      if (previous === undefined) delete process.env.NOUKAI_REPLAY_ENABLED;
      else process.env.NOUKAI_REPLAY_ENABLED = previous;
    }
  });

  it("a session captured by the official client replays in noukai's replayScope, and one captured by noukai in the official traceScope", async () => {
    const official = client();
    const ours = new AsyncNoukai({ apiKey: "nk_conformance", baseUrl: main.baseUrl, maxRetries: 0 });
    const calls = async (run: (slug: string, message: string) => Promise<unknown>, events: (message: string) => AsyncIterable<{ type: string }>) => {
      const first = await run("two-step", "first");
      const types: string[] = [];
      for await (const event of events("second")) types.push(event.type);
      return { first, types };
    };
    // Captured by the official client: its traceScope tags the calls, the local server groups them.
    const byOfficial = await traceScope(async () => ({
      sessionId: currentSessionId(),
      live: await calls(
        async (slug, message) => ((await official.flow(`examples/demo/${slug}`).execute({ message })) as { result: unknown }).result,
        (message) => official.flow("examples/demo/two-step").events({ message }),
      ),
    }));
    // Captured by noukai, the same calls.
    const byOurs = await replayScope(async () => ({
      sessionId: ourSessionId(),
      live: await calls(
        async (slug, message) => ((await ours.flow(`examples/demo/${slug}`).execute({ message })) as { result: unknown }).result,
        (message) => ours.flow("examples/demo/two-step").events({ message }),
      ),
    }));
    const previous = process.env.NOUKAI_REPLAY_ENABLED;
    process.env.NOUKAI_REPLAY_ENABLED = "true";
    try {
      const oursReplaysOfficial = await replayScope(
        () => calls(async (slug, message) => ((await ours.flow(`examples/demo/${slug}`).execute({ message })) as { result: unknown }).result, (message) => ours.flow("examples/demo/two-step").events({ message })),
        { replaySessionId: byOfficial.sessionId ?? "", client: ours },
      );
      expect(oursReplaysOfficial.first).toBe(byOfficial.live.first);
      // noukai rebuilds a live stream (step_input and step_output included); the official client's reconstruction leaves them out.
      expect(oursReplaysOfficial.types.filter((type) => !type.startsWith("step_input") && !type.startsWith("step_output"))).toEqual(byOfficial.live.types.filter((type) => !type.startsWith("step_input") && !type.startsWith("step_output")));
      const officialReplaysOurs = await traceScope(
        () => calls(async (slug, message) => ((await official.flow(`examples/demo/${slug}`).execute({ message })) as { result: unknown }).result, (message) => official.flow("examples/demo/two-step").events({ message })),
        { replaySessionId: byOurs.sessionId ?? randomUUID(), transport: official.flow("examples/demo/two-step")._transport },
      );
      expect(officialReplaysOurs.first).toBe(byOurs.live.first);
      expect(officialReplaysOurs.types).toContain("flow_completed");
    } finally {
      if (previous === undefined) delete process.env.NOUKAI_REPLAY_ENABLED;
      else process.env.NOUKAI_REPLAY_ENABLED = previous;
      await ours.close();
    }
  });
});
