/**
 * Capture and replay, for both clients: a scope tags its calls with its
 * session (resumes, /step segments and jobs included), records them to a
 * cassette, and answers them again from the cassette with no network, or
 * from the captured session, as the live calls were answered.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import {
  type Cassette,
  currentScope,
  type ExecuteResult,
  type PausedResult,
  type SyncPausedResult,
  currentSessionId,
  FlowExecutionError,
  Noukai,
  type LogEvent,
  replayScope,
  replayScopeSync,
  type ReplayScopeOptions,
  type StreamEvent,
  type SyncStreamEvent,
} from "noukai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type AnyClient, CLIENT_KINDS, type ClientKind, collect, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { WEATHER_TOOLS } from "../helpers/test-flows.js";

const local = useLocalServer();
const dir = mkdtempSync(join(tmpdir(), "noukai-replay-"));
let counting: Server;
let connections = 0;
let nowhere = "";

beforeAll(async () => {
  // A base URL for replays that must not touch the network: any connection to it is counted.
  counting = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => counting.listen(0, "127.0.0.1", resolve));
  const address = counting.address();
  nowhere = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/api/v1`;
});
afterAll(async () => {
  await new Promise((resolve) => counting.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env["NOUKAI_REPLAY_ENABLED"];
});

/** A finished run's result; undefined for a paused one. */
const resultOf = (outcome: ExecuteResult | PausedResult | SyncPausedResult | undefined): unknown => (outcome?.status === "tool_calls_required" ? undefined : outcome?.result);

const answerWeather = (calls: { id: string; function: { arguments: string } }[]) =>
  calls.map((call) => ({ toolCallId: call.id, output: `sunny in ${(JSON.parse(call.function.arguments) as { location: string }).location}` }));

/** Every kind of call a scope can make, and what each gave: what a replay must give back. */
async function everyCall(client: AnyClient): Promise<Record<string, unknown>> {
  const hello = await settle(() => client.flow("examples/demo/hello").execute({ message: "hi" }));
  const failed = await settle(() => client.flow("examples/demo/broken").execute({ message: "x" }));
  const auto = await settle(() => client.flow("examples/demo/weather").execute({ message: "weather in Oslo", tools: WEATHER_TOOLS, toolHandler: answerWeather }));
  const paused = await settle(() => client.flow("examples/demo/weather").execute({ message: "weather in Lima", tools: WEATHER_TOOLS }));
  const manual = paused.status === "tool_calls_required" ? await settle(() => paused.resume({ toolResults: answerWeather(paused.toolCalls) })) : undefined;
  const steps = await collect(client.flow("examples/demo/two-step").steps({ message: "tides" }));
  const events = await collect(client.flow("examples/demo/two-step").events({ message: "rivers", runRemaining: true }));
  const brokenEvents = await collect(client.flow("examples/demo/broken").events({ message: "x" }));
  let stepFailure: unknown;
  try {
    await collect(client.flow("examples/demo/broken").steps({ message: "x" }));
  } catch (error) {
    stepFailure = error;
  }
  const job = await settle(() => client.flow("examples/demo/hello").executeAsync({ message: "later" }));
  const done = await settle(() => job.wait({ pollInterval: 20 }));
  const trace = await settle(() => client.flow("examples/demo/hello").run(job.executionId).trace());
  return {
    hello: [hello.status, resultOf(hello)],
    failed: [failed.status, resultOf(failed)],
    auto: [auto.status, resultOf(auto)],
    paused: [paused.status, paused.requiresToolCalls, paused.status === "tool_calls_required" ? paused.toolCalls.map((call) => call.function.name) : []],
    manual: manual === undefined ? undefined : [manual.status, resultOf(manual)],
    steps: steps.map((step) => [step.stepIndex, step.stepId, step.output]),
    events: events.map((event) => event.type),
    // The live stream's per-step outputs, under both names; a replay must give the same.
    stepOutputs: events.flatMap((event) => (event.type === "step_output" ? [[event.outputData, event.outputContext]] : [])),
    brokenEvents: brokenEvents.map((event: StreamEvent | SyncStreamEvent) => (event.type === "step_error" ? `step_error ${event.error?.code ?? ""}` : event.type)),
    stepFailure: stepFailure instanceof FlowExecutionError ? [stepFailure.name, stepFailure.code] : String(stepFailure),
    job: [done.status, done.result],
    trace: [trace.flowRun.status, trace.steps.map((step) => step.stepId)],
  };
}

describe.each(CLIENT_KINDS)("%s capture and replay", (kind: ClientKind) => {
  const client = (baseUrl = local.baseUrl) => makeClient(kind, { apiKey: TEST_KEY, baseUrl, maxRetries: 0 });
  // The scenarios are written once, with `await` (which takes the blocking client's plain values too), so
  // they run in replayScope for both clients; replayScopeSync, for code that never awaits, is tested below.
  const inScope = <T>(fn: () => Promise<T>, options: ReplayScopeOptions): Promise<T> => replayScope(fn, options);

  it("tags every run-starting and resuming request of the scope with its session, and the service groups them", async () => {
    const live = client();
    const seen: string[] = [];
    const watch = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, middleware: [{ onRequest: (request) => void seen.push(`${request.path.split("/").at(-1) ?? ""} ${request.headers["x-session-id"] ?? "-"}`) }] });
    const sessionId = await inScope(async () => {
      await settle(() => watch.flow("examples/demo/weather").execute({ message: "weather in Oslo", tools: WEATHER_TOOLS, toolHandler: answerWeather }));
      await collect(watch.flow("examples/demo/two-step").steps({ message: "x" }));
      await settle(() => watch.flow("examples/demo/hello").executeAsync({ message: "later" }));
      return currentSessionId();
    }, {});
    expect(sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The tool resume and the second /step carry it too (the official clients drop it on resumes).
    expect(seen).toEqual([`execute ${sessionId}`, `execute ${sessionId}`, `step ${sessionId}`, `step ${sessionId}`, `jobs ${sessionId}`]);
    const session = await settle(() => live.session(sessionId ?? ""));
    expect(session.executions.map((execution) => execution.triggerType)).toEqual(["execute", "step", "job"]);
    expect(currentSessionId()).toBeNull();
  });

  it("records to a cassette, then replays it with no network, the same answers every time", async () => {
    const file = join(dir, `${kind}-every-call.json`);
    const recorded = await inScope(() => everyCall(client()), { record: file });
    expect(recorded).toMatchObject({ hello: ["completed", "Hello! You said: hi"], failed: ["failed", expect.stringMatching(/Explode/) as string], job: ["completed", "Hello! You said: later"] });
    const cassette = JSON.parse(readFileSync(file, "utf8")) as Cassette;
    expect(cassette).toMatchObject({ format: "noukai-cassette", version: 1 });
    expect(readFileSync(file, "utf8")).not.toContain(TEST_KEY);
    const before = connections;
    // The file exists now: "record once" replays it; the base URL counts any connection.
    const replayed = await inScope(() => everyCall(client(nowhere)), { record: file });
    expect(replayed).toEqual(recorded);
    const again = await inScope(() => everyCall(client(nowhere)), { cassette: file });
    expect(again).toEqual(recorded);
    expect(connections - before).toBe(0);
  });

  it("writes cassettes that the shipped JSON Schema accepts", () => {
    const schema = JSON.parse(readFileSync(new URL("../../schema/cassette.schema.json", import.meta.url), "utf8")) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    const cassette: unknown = JSON.parse(readFileSync(join(dir, `${kind}-every-call.json`), "utf8"));
    expect(validate(cassette), JSON.stringify(validate.errors)).toBe(true);
  });

  it("replays a session captured on the service, every kind of call answered as it was live", async () => {
    const live = client();
    const captured: { sessionId: string | null; result: Record<string, unknown> } = await inScope(async () => ({ result: await everyCall(live), sessionId: currentSessionId() }), {});
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    const before = connections;
    const replayer = client(nowhere);
    // Only the session fetch goes to the service: the calls' own base URL counts any connection.
    const fetcher = client();
    const replayed = await inScope(() => everyCall(replayer), { replaySessionId: captured.sessionId ?? "", client: fetcher });
    expect(replayed).toEqual(captured.result);
    expect(connections - before).toBe(0);
  });

  it("gives concurrent calls of one flow their own recorded answers by replayKey, whatever order they finish in", async () => {
    if (kind === "Noukai") return; // a blocking client has no concurrent calls
    const file = join(dir, "keys.json");
    const run = (c: AnyClient) => Promise.all(["a", "b", "c"].map((key) => settle(() => c.flow("examples/demo/hello").execute({ message: `for ${key}`, replayKey: key }))));
    await inScope(() => run(client()), { record: file });
    // Replayed in another order: each key still finds its own call.
    const reordered = await inScope(async () => {
      const c = client(nowhere);
      const [c3, a, b] = await Promise.all(["c", "a", "b"].map((key) => settle(() => c.flow("examples/demo/hello").execute({ message: `for ${key}`, replayKey: key }))));
      return [a, b, c3].map(resultOf);
    }, { cassette: file });
    expect(reordered).toEqual(["Hello! You said: for a", "Hello! You said: for b", "Hello! You said: for c"]);
    // Without keys, matching by input does the same.
    await inScope(() => Promise.all(["x", "y"].map((m) => settle(() => client().flow("examples/demo/hello").execute({ message: m })))), { record: join(dir, "input.json") });
    const byInput = await inScope(async () => {
      const c = client(nowhere);
      return Promise.all(["y", "x"].map((m) => settle(() => c.flow("examples/demo/hello").execute({ message: m }))));
    }, { cassette: join(dir, "input.json"), match: "input" });
    expect(byInput.map(resultOf)).toEqual(["Hello! You said: y", "Hello! You said: x"]);
  });

  it("logs scope_open and scope_close, and says when a replay id was ignored for want of NOUKAI_REPLAY_ENABLED", async () => {
    const log: LogEvent[] = [];
    const c = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, onLog: (event) => void log.push(event) });
    const inside = await inScope(async () => currentScope(), { replaySessionId: "3f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f", client: c });
    expect(inside).toMatchObject({ mode: "capture" });
    const scopeEvents = log.filter((event) => event.phase === "scope_open" || event.phase === "scope_close");
    expect(scopeEvents).toEqual([
      { phase: "scope_open", mode: "capture", sessionId: inside?.sessionId, replayIgnored: true },
      { phase: "scope_close", mode: "capture", sessionId: inside?.sessionId },
    ]);
    expect(currentScope()).toBeNull();
  });

  it("leaves out of the scope a call that code it left running makes after it ended, even while another scope is open", async () => {
    const seen: string[] = [];
    const watch = makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, middleware: [{ onRequest: (request) => void seen.push(request.headers["x-session-id"] ?? "-") }] });
    let late: Promise<unknown> = Promise.resolve();
    const ended = await inScope(async () => {
      await settle(() => watch.flow("examples/demo/hello").execute({ message: "inside" }));
      // Not awaited: it runs after the scope has ended.
      late = new Promise((resolve) => setTimeout(resolve, 50)).then(() => settle(() => watch.flow("examples/demo/hello").execute({ message: "after" })));
      return currentSessionId();
    }, {});
    // A second scope, open while the late call is made, must not lend it its session either.
    const other = await inScope(async () => {
      await late;
      return currentSessionId();
    }, {});
    expect(seen).toEqual([ended, "-"]);
    expect(other).not.toBe(ended);
    expect(currentScope()).toBeNull();
  });
});

describe("replayScopeSync, for blocking code that never awaits", () => {
  it("records and replays with the blocking client, returning at once", () => {
    const file = join(dir, "sync.json");
    const run = (baseUrl: string): unknown[] => {
      using client = new Noukai({ apiKey: TEST_KEY, baseUrl, maxRetries: 0 });
      const hello = client.flow("examples/demo/hello").execute({ message: "blocking" });
      const steps = [...client.flow("examples/demo/two-step").steps({ message: "tides" })].map((step) => step.output);
      return [resultOf(hello), steps, currentScope()?.mode];
    };
    const recorded = replayScopeSync(() => run(local.baseUrl), { record: file });
    expect(recorded).toEqual(["Hello! You said: blocking", ["Outline of: tides", "Article from [Outline of: tides]"], "record"]);
    const before = connections;
    expect(replayScopeSync(() => run(nowhere), { cassette: file })).toEqual([recorded[0], recorded[1], "replay"]);
    expect(connections - before).toBe(0);
  });

  it("refuses a function that returns a promise, whose calls would outlive the scope", () => {
    expect(() => replayScopeSync(async () => 1, {})).toThrow(/returned a Promise/);
  });
});
