/**
 * A cassette the library writes replays as the live run went, and one it
 * loads cannot fail later for its shape: an attempt with no answer, a call
 * left running, a retried step, a tool round answered the other way, a deep
 * answer, a FIFO at the path, two recordings of one path.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { type AsyncNoukai, type Cassette, CassetteError, cassetteOfSession, replayScope, type SessionStep } from "noukai";
import { afterAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { sessionOf, sessionStep as step } from "../helpers/captured-sessions.js";
import { useLocalServer } from "../helpers/local-server.js";
import { WEATHER_TOOLS } from "../helpers/test-flows.js";

const local = useLocalServer();
const dir = mkdtempSync(join(tmpdir(), "noukai-replay-cassettes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A base URL where nothing listens: a replay that sent anything would fail to connect. */
const NOWHERE = "http://127.0.0.1:9/api/v1";

const HELLO = "examples/demo/hello";

/** A finished run's result (a paused run has none). */
const resultOf = (outcome: unknown): unknown => (outcome as { result?: unknown }).result;
/** The client for what only the async one can do (leave a call running), or where either would do. */
const asyncClient = (baseUrl: string) => makeClient("AsyncNoukai", { apiKey: TEST_KEY, baseUrl }) as AsyncNoukai;
const answerWeather = (calls: readonly { id: string }[]) => calls.map((call) => ({ toolCallId: call.id, output: { sky: "sunny" } }));

describe.each(CLIENT_KINDS)("%s cassettes the library writes", (kind) => {
  // Its first /execute loses its connection before any answer; the client retries it.
  const flaky = useLocalServer({ faults: ["execute:reset-before:times=1"] });
  const client = (baseUrl: string) => makeClient(kind, { apiKey: TEST_KEY, baseUrl });

  it("replays a call whose first connection dropped and was retried as it ended: with its answer", async () => {
    const file = join(dir, `${kind}-retried.json`);
    const hello = (baseUrl: string) => () => settle(() => client(baseUrl).flow(HELLO).execute({ message: "hi" }));
    const live = await replayScope(hello(flaky.baseUrl), { record: file });
    const cassette = JSON.parse(readFileSync(file, "utf8")) as Cassette;
    const exchanges = cassette.calls.flatMap((call) => ("exchanges" in call ? call.exchanges : []));
    expect(exchanges.map((exchange) => exchange.response.status)).toEqual([200]);
    const replayed = await replayScope(hello(NOWHERE), { cassette: file });
    expect(resultOf(replayed)).toEqual(resultOf(live));
  });

  it("replays a tool round recorded with a toolHandler by resume(), and one recorded with resume() by a toolHandler", async () => {
    const withHandler = (baseUrl: string) => () =>
      settle(() => client(baseUrl).flow("examples/demo/weather").execute({ message: "weather in Lisbon", tools: WEATHER_TOOLS, toolHandler: answerWeather }));
    const withResume = (baseUrl: string) => async () => {
      const paused = await settle(() => client(baseUrl).flow("examples/demo/weather").execute({ message: "weather in Lisbon", tools: WEATHER_TOOLS }));
      if (paused.status !== "tool_calls_required") throw new Error("the run did not pause for its tool");
      return await settle(() => paused.resume({ toolResults: answerWeather(paused.toolCalls) }));
    };
    const byHandler = join(dir, `${kind}-by-handler.json`);
    const byResume = join(dir, `${kind}-by-resume.json`);
    const live = await replayScope(withHandler(local.baseUrl), { record: byHandler });
    expect(resultOf(await replayScope(withResume(local.baseUrl), { record: byResume }))).toEqual(resultOf(live));
    for (const file of [byHandler, byResume]) {
      expect(resultOf(await replayScope(withHandler(NOWHERE), { cassette: file }))).toEqual(resultOf(live));
      expect(resultOf(await replayScope(withResume(NOWHERE), { cassette: file }))).toEqual(resultOf(live));
    }
  });

  it("replays a session's step that failed and was retried as its last attempt: the run completed", async () => {
    const cassette = cassetteOfSession(sessionOf([step({ status: "failed", outputSnapshot: null, errorSnapshot: { code: "TRANSIENT", message: "model timed out" } }), step({ attempt: 2 })]));
    const replayed = await replayScope(() => settle(() => client(NOWHERE).flow("acme/sup/hello").execute({ message: "hi" })), { cassette });
    expect(replayed).toMatchObject({ status: "completed", result: { answer: 42 } });
    // A step that left its errorSnapshot out had no error.
    const { errorSnapshot: _left, ...noErrorField } = step({});
    const plain = cassetteOfSession(sessionOf([noErrorField as SessionStep]));
    expect(await replayScope(() => settle(() => client(NOWHERE).flow("acme/sup/hello").execute({ message: "hi" })), { cassette: plain })).toMatchObject({ status: "completed" });
  });
});

const schema = JSON.parse(readFileSync(new URL("../../schema/cassette.schema.json", import.meta.url), "utf8")) as object;
const matchesSchema = new Ajv({ strict: false }).compile(schema);

/** A cassette with one call, its fields replaced as given. */
function cassetteWith(call: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { format: "noukai-cassette", version: 1, recordedAt: "2026-01-01T00:00:00Z", sessionId: null, calls: [{ operation: "execute", flow: "acme/sup/hello", ...call }], ...top };
}
const exchangeCall = (response: unknown, path = "/seq/acme/sup/hello/execute") => ({ exchanges: [{ request: { method: "POST", path }, response }] });
const executionCall = (steps: unknown, fields: Record<string, unknown> = {}) => ({ executionId: "e1", execution: { executionId: "e1", status: "completed", steps, ...fields } });

/** Cassettes a replay could not use, each with the field the load names. */
const BAD: [string, Record<string, unknown>, string][] = [
  ["no recordedAt", { ...cassetteWith(exchangeCall({ status: 200, body: {} })), recordedAt: undefined }, "recordedAt"],
  ["a status that is not whole", cassetteWith(exchangeCall({ status: 200.5, body: {} })), "calls[0].exchanges[0].response.status"],
  ["a status out of HTTP's range", cassetteWith(exchangeCall({ status: 0 })), "calls[0].exchanges[0].response.status"],
  ["a header that is a number", cassetteWith(exchangeCall({ status: 200, headers: { "x-request-id": 5 }, body: {} })), "calls[0].exchanges[0].response.headers"],
  ["events answering a whole request", cassetteWith(exchangeCall({ status: 200, events: [{ event: "flow_completed", data: {} }] })), "calls[0].exchanges[0].response.events"],
  ["events answering an execute call, whatever path it recorded", cassetteWith(exchangeCall({ status: 200, events: [{ event: "flow_completed", data: {} }] }, "/seq/acme/sup/hello/step")), "calls[0].exchanges[0].response.events"],
  ["a JSON body answering a stream", cassetteWith({ ...exchangeCall({ status: 200, body: { status: "completed" } }, "/seq/acme/sup/hello/step"), operation: "events" }), "calls[0].exchanges[0].response"],
  ["both body and events", cassetteWith({ ...exchangeCall({ status: 200, body: "x", events: [] }, "/seq/acme/sup/hello/step"), operation: "events" }), "calls[0].exchanges[0].response"],
  ["an event with no name", cassetteWith({ ...exchangeCall({ status: 200, events: [{ event: "", data: {} }] }, "/seq/acme/sup/hello/step"), operation: "events" }), "calls[0].exchanges[0].response.events[0]"],
  ["a request body that is no object", cassetteWith({ exchanges: [{ request: { method: "POST", path: "/x", body: [1] }, response: { status: 200, body: {} } }] }), "calls[0].exchanges[0].request.body"],
  ["an input message that is no string", cassetteWith({ ...exchangeCall({ status: 200, body: {} }), input: { message: 5 } }), "calls[0].input.message"],
  ["a step that is null", cassetteWith(executionCall([null])), "calls[0].execution.steps[0]"],
  ["a step with no stepId", cassetteWith(executionCall([{ outputSnapshot: 1 }])), "calls[0].execution.steps[0].stepId"],
  ["tool rounds that are a number", cassetteWith(executionCall([{ stepId: "a", toolRounds: 5 }])), "calls[0].execution.steps[0].toolRounds"],
  ["a tool round with no calls", cassetteWith(executionCall([{ stepId: "a", toolRounds: [{ toolCallMessages: [], iterationsUsed: 1 }] }])), "calls[0].execution.steps[0].toolRounds[0].toolCalls"],
  ["an error snapshot that is a string", cassetteWith(executionCall([{ stepId: "a", errorSnapshot: "boom" }])), "calls[0].execution.steps[0].errorSnapshot"],
  ["an attempt of 0", cassetteWith(executionCall([{ stepId: "a", attempt: 0 }])), "calls[0].execution.steps[0].attempt"],
  ["a duration that is a string", cassetteWith(executionCall([{ stepId: "a", durationMs: "5" }])), "calls[0].execution.steps[0].durationMs"],
  ["a run status that is a number", cassetteWith(executionCall([], { status: 1 })), "calls[0].execution.status"],
];

describe("the load check and the shipped JSON Schema", () => {
  it.each(BAD)("both refuse %s, the load naming the file and the field", async (_label, cassette, field) => {
    const text = JSON.stringify(cassette);
    expect(matchesSchema(JSON.parse(text))).toBe(false);
    const file = join(dir, "bad.json");
    writeFileSync(file, text);
    const attempt = replayScope(async () => undefined, { cassette: file });
    await expect(attempt).rejects.toMatchObject({ name: "CassetteError", code: "CASSETTE_INVALID" });
    await expect(attempt).rejects.toThrow(`${file}: ${field}: `);
  });

  it("both take what the library writes: recordings and pulled sessions", async () => {
    const pulled = cassetteOfSession(sessionOf([step({ toolRounds: [{ toolCalls: [], toolCallMessages: [], iterationsUsed: 1 }] }), step({ stepId: "s2", errorSnapshot: null })]));
    const written = [pulled, ...["AsyncNoukai-by-handler", "AsyncNoukai-by-resume", "Noukai-retried"].map((name) => JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as Cassette)];
    for (const cassette of written) {
      expect(matchesSchema(cassette), JSON.stringify(matchesSchema.errors)).toBe(true);
      await expect(replayScope(async () => undefined, { cassette, leftovers: "ignore" })).resolves.toBeUndefined();
    }
  });
});

describe("cassettes the library writes, whatever they hold", () => {
  // Every /execute loses its connection before any answer.
  const unreachable = useLocalServer({ faults: ["execute:reset-before"] });

  it("refuses to write a recording whose code left a call running, and says which (CASSETTE_INCOMPLETE)", async () => {
    const file = join(dir, "left-running.json");
    const client = asyncClient(local.baseUrl);
    let running: Promise<unknown> | undefined;
    const attempt = replayScope(async () => {
      running = client.flow("examples/demo/slow").execute({ message: "hi" });
    }, { record: file });
    await expect(attempt).rejects.toBeInstanceOf(CassetteError);
    await expect(attempt).rejects.toMatchObject({ code: "CASSETTE_INCOMPLETE" });
    await expect(attempt).rejects.toThrow(/execute\(\) of examples\/demo\/slow was still running \(await it inside the scope\)/);
    expect(existsSync(file)).toBe(false);
    // The call itself is not harmed.
    await expect(running).resolves.toMatchObject({ status: "completed" });
  });

  it("refuses to write a recording whose call ended with no answer, which a replay could not give back (CASSETTE_INCOMPLETE)", async () => {
    const file = join(dir, "no-answer.json");
    const client = makeClient("AsyncNoukai", { apiKey: TEST_KEY, baseUrl: unreachable.baseUrl, maxRetries: 1 }) as AsyncNoukai;
    const attempt = replayScope(() => client.flow(HELLO).execute({ message: "hi" }).catch((error: unknown) => error), { record: file });
    await expect(attempt).rejects.toMatchObject({ name: "CassetteError", code: "CASSETTE_INCOMPLETE" });
    await expect(attempt).rejects.toThrow(/execute\(\) of examples\/demo\/hello ended with no answer to its last request/);
    expect(existsSync(file)).toBe(false);
  });

  it("records a call that sent parameters nested 900 levels deep to a cassette whose size follows what was sent, not its depth", async () => {
    let parameters: unknown = "deep";
    for (let level = 0; level < 900; level++) parameters = [parameters];
    const file = join(dir, "recorded-deep.json");
    const client = asyncClient(local.baseUrl);
    await replayScope(() => client.flow(HELLO).execute({ message: "hi", parameters: { parameters } }).catch(() => undefined), { record: file });
    expect(statSync(file).size).toBeLessThan(64 * 1024);
  });

  it("refuses a FIFO as the cassette, to replay or to record, at once (CASSETTE_UNREADABLE)", async () => {
    const fifo = join(dir, "fifo.json");
    execFileSync("mkfifo", [fifo]);
    for (const options of [{ cassette: fifo }, { record: fifo }, { record: fifo, recordMode: "all" as const }]) {
      const attempt = replayScope(async () => undefined, options);
      await expect(attempt).rejects.toMatchObject({ name: "CassetteError", code: "CASSETTE_UNREADABLE" });
      await expect(attempt).rejects.toThrow(/fifo\.json .*it is not a regular file/);
    }
  });

  it("refuses a second scope recording a cassette another scope is recording (CASSETTE_IN_USE), and lets it be recorded once that one ends", async () => {
    const file = join(dir, "shared.json");
    const client = asyncClient(local.baseUrl);
    const say = (message: string) => () => client.flow(HELLO).execute({ message });
    const first = replayScope(say("one"), { record: file, recordMode: "all" });
    const second = replayScope(say("two"), { record: file, recordMode: "all" });
    await expect(second).rejects.toMatchObject({ name: "CassetteError", code: "CASSETTE_IN_USE" });
    await expect(second).rejects.toThrow(/shared\.json is being recorded by another scope/);
    await first;
    const held = JSON.parse(readFileSync(file, "utf8")) as Cassette;
    expect(held.calls.map((call) => call.input?.message)).toEqual(["one"]);
    await replayScope(say("three"), { record: file, recordMode: "all" });
    expect((JSON.parse(readFileSync(file, "utf8")) as Cassette).calls.map((call) => call.input?.message)).toEqual(["three"]);
  });

  it("knows a cassette being recorded by its real path, through a link and from the other build of the package", async () => {
    const file = join(dir, "linked.json");
    const link = join(dir, "link-to-linked.json");
    writeFileSync(file, "{}");
    symlinkSync(file, link);
    const client = asyncClient(local.baseUrl);
    const first = replayScope(() => client.flow(HELLO).execute({ message: "one" }), { record: file, recordMode: "all" });
    await expect(replayScope(async () => undefined, { record: link, recordMode: "all" })).rejects.toMatchObject({ code: "CASSETTE_IN_USE" });
    const cjs = createRequire(import.meta.url)("noukai") as { replayScope: typeof replayScope };
    await expect(cjs.replayScope(async () => undefined, { record: file, recordMode: "all" })).rejects.toMatchObject({ code: "CASSETTE_IN_USE" });
    await first;
  });
});

describe("calls that outlive their scope's code", () => {
  /** A cassette of one execute of hello, recorded live once. */
  const recorded = async (): Promise<string> => {
    const file = join(dir, `outlive-${Math.random().toString(36).slice(2)}.json`);
    await replayScope(() => asyncClient(local.baseUrl).flow(HELLO).execute({ message: "hi" }), { record: file });
    return file;
  };

  it("refuses a stream made inside a replay but read after it (ReplayMissError), never sending it", async () => {
    const cassette = await recorded();
    const client = asyncClient(NOWHERE);
    const stream = await replayScope(() => client.flow(HELLO).events({ message: "hi" }), { cassette, leftovers: "ignore" });
    const failure = await (async () => {
      for await (const _event of stream) return "an event";
      return "no event";
    })().catch((error: unknown) => error);
    // Sent, it would have failed to connect (nothing listens at NOWHERE).
    expect(failure).toMatchObject({ name: "ReplayMissError", code: "REPLAY_MISS" });
    expect((failure as Error).message).toMatch(/events\(\) of examples\/demo\/hello was made after its replay scope had ended/);
  });

  it("refuses a call a timer of the replay's code makes after the scope returned, and one left running by a recording", async () => {
    const cassette = await recorded();
    const client = asyncClient(NOWHERE);
    let later: Promise<unknown> | undefined;
    await replayScope(
      () => {
        later = new Promise((resolve) => setTimeout(() => resolve(client.flow(HELLO).execute({ message: "hi" }).catch((error: unknown) => error)), 50));
        return client.flow(HELLO).execute({ message: "hi" });
      },
      { cassette },
    );
    expect(await later).toMatchObject({ name: "ReplayMissError", code: "REPLAY_MISS" });
    const live = asyncClient(local.baseUrl);
    let after: Promise<unknown> | undefined;
    await replayScope(
      () => {
        after = new Promise((resolve) => setTimeout(() => resolve(live.flow(HELLO).execute({ message: "late" }).catch((error: unknown) => error)), 50));
      },
      { record: join(dir, "outlive-record.json"), recordMode: "all" },
    );
    expect(await after).toMatchObject({ name: "CassetteError", code: "CASSETTE_INCOMPLETE" });
  });

  it("keeps a replay in place for a capture opened inside it: its calls are still answered from the cassette", async () => {
    const cassette = await recorded();
    const client = asyncClient(NOWHERE);
    const replayed = await replayScope(() => replayScope(() => client.flow(HELLO).execute({ message: "hi" })), { cassette });
    expect(replayed).toMatchObject({ status: "completed", result: "Hello! You said: hi" });
  });
});
