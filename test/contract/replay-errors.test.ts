/**
 * Every way a replay can go wrong ends with the replay error that names it:
 * a call with nothing recorded for it, recorded calls left unused, a session
 * that is no UUID, unknown, expired, forbidden or captured without
 * snapshots, a cassette that is not one. None of them makes a request it
 * should not, and the scope always logs its close.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CassetteError,
  currentSessionId,
  type LogEvent,
  ReplayError,
  ReplayForbiddenError,
  ReplayInvalidSessionError,
  ReplayLeftoverError,
  ReplayMissError,
  ReplayNoSnapshotsError,
  replayScope,
  replayScopeSync,
  ReplaySessionExpiredError,
  ReplaySessionNotFoundError,
  ValueError,
} from "noukai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";
import { RecordingServer } from "../helpers/recording-server.js";

const local = useLocalServer({ maxSessions: 1 });
const dir = mkdtempSync(join(tmpdir(), "noukai-replay-errors-"));
let recording: RecordingServer;
beforeAll(async () => {
  recording = await RecordingServer.start(new URL("../helpers/responders/sessions.ts", import.meta.url));
});
afterAll(async () => {
  await recording.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env["NOUKAI_REPLAY_ENABLED"];
});

const UNKNOWN = "3f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f";

describe.each(CLIENT_KINDS)("%s replay errors", (kind) => {
  const client = (baseUrl = local.baseUrl, extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl, maxRetries: 0, ...extra });
  const hello = (message: string) => settle(() => client().flow("examples/demo/hello").execute({ message }));

  async function recorded(name: string, calls: number): Promise<string> {
    const file = join(dir, `${kind}-${name}.json`);
    await replayScope(async () => {
      for (let i = 0; i < calls; i++) await hello(`call ${i}`);
    }, { record: file, recordMode: "all" });
    return file;
  }

  it("misses a call that was never recorded, naming it and what the recording has", async () => {
    const file = await recorded("one", 1);
    const attempt = replayScope(async () => {
      await hello("first");
      await hello("second");
    }, { cassette: file });
    await expect(attempt).rejects.toBeInstanceOf(ReplayMissError);
    await expect(attempt).rejects.toThrow(/call #2 execute\(\) of flow examples\/demo\/hello has no recorded call to answer it: the recording has 1 execute call\(s\) of that flow, all used/);
  });

  it("refuses recorded calls left unused, or warns, or lets them be, as asked", async () => {
    const file = await recorded("two", 2);
    const once = async () => void (await hello("only"));
    await expect(replayScope(once, { cassette: file })).rejects.toBeInstanceOf(ReplayLeftoverError);
    await expect(replayScope(once, { cassette: file })).rejects.toThrow(/1 recorded call\(s\) the code never made: execute\(\) of examples\/demo\/hello/);
    const log: LogEvent[] = [];
    await replayScope(once, { cassette: file, leftovers: "warn", onLog: (event) => void log.push(event) });
    expect(log.at(-1)).toMatchObject({ phase: "scope_close", mode: "replay", leftovers: 1 });
    await expect(replayScope(once, { cassette: file, leftovers: "ignore" })).resolves.toBeUndefined();
  });

  it("refuses a session id that is not a UUID before any request", async () => {
    process.env["NOUKAI_REPLAY_ENABLED"] = "true";
    const attempt = replayScope(async () => undefined, { replaySessionId: "session-1", client: client() });
    await expect(attempt).rejects.toBeInstanceOf(ReplayInvalidSessionError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 400 });
  });

  it("says a session is unknown (404) or expired (410), and logs the scope's close even so", async () => {
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    const log: LogEvent[] = [];
    const c = client(local.baseUrl, { onLog: (event: LogEvent) => void log.push(event) });
    await expect(replayScope(async () => undefined, { replaySessionId: UNKNOWN, client: c })).rejects.toBeInstanceOf(ReplaySessionNotFoundError);
    expect(log.filter((event) => event.phase.startsWith("scope_")).map((event) => event.phase)).toEqual(["scope_open", "scope_close"]);
    // This server keeps one session: a second pushes the first out, which then answers 410.
    delete process.env["NOUKAI_REPLAY_ENABLED"];
    const first = await replayScope(async () => (await hello("first"), currentSessionId()), {});
    await replayScope(async () => void (await hello("second")), {});
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    await expect(replayScope(async () => undefined, { replaySessionId: first ?? "", client: c })).rejects.toBeInstanceOf(ReplaySessionExpiredError);
  });

  it("says a session may not be seen (403), or was captured without snapshots", async () => {
    process.env["NOUKAI_REPLAY_ENABLED"] = "on";
    await recording.respond("forbidden");
    await expect(replayScope(async () => undefined, { replaySessionId: UNKNOWN, client: client(recording.baseUrl) })).rejects.toBeInstanceOf(ReplayForbiddenError);
    await recording.respond("withoutSnapshots");
    const blind = replayScope(async () => undefined, { replaySessionId: UNKNOWN, client: client(recording.baseUrl) });
    await expect(blind).rejects.toBeInstanceOf(ReplayNoSnapshotsError);
    await expect(blind).rejects.toThrow(/exec-blind \(traceCaptureMode off\)/);
  });

  it("refuses a recording whose cassette cannot be written there before its code runs, as a CassetteError naming the file", async () => {
    const file = join(dir, "a-file.json");
    writeFileSync(file, "{}");
    let ran = false;
    const attempt = replayScope(async () => void (ran = true), { record: join(file, "cassette.json") });
    await expect(attempt).rejects.toBeInstanceOf(CassetteError);
    await expect(attempt).rejects.toMatchObject({ code: "CASSETTE_UNWRITABLE" });
    await expect(attempt).rejects.toThrow(/^The cassette .*a-file\.json\/cassette\.json cannot be written: /);
    expect(ran).toBe(false);
  });

  it("refuses a cassette nested deeper than the client reads as a CassetteError", async () => {
    const file = join(dir, "deep.json");
    const cassette = (call: object) => `{"format":"noukai-cassette","version":1,"recordedAt":"x","sessionId":null,"calls":[${JSON.stringify(call)}]}`;
    // Past 2,016 levels in all (2,000 for an answer, 16 for the cassette around it), written as text: JSON.stringify stops a few thousand down.
    const deepBody = "[".repeat(2_020) + "]".repeat(2_020);
    writeFileSync(file, cassette({ operation: "execute", flow: "o/p/s", exchanges: [] }).replace('"exchanges":[]', `"exchanges":[{"request":{"method":"POST","path":"/x"},"response":{"status":200,"body":${deepBody}}}]`));
    const deep = replayScope(async () => undefined, { cassette: file });
    await expect(deep).rejects.toBeInstanceOf(CassetteError);
    await expect(deep).rejects.toThrow(/: \/: nested more than 2016 levels deep, deeper than the client reads\.$/);
  });

  it("refuses a cassette that is not one, naming the field", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ format: "noukai-cassette", version: 1, recordedAt: "x", sessionId: null, calls: [{ operation: "execute", flow: "no-slashes", exchanges: [] }] }));
    const attempt = replayScope(async () => undefined, { cassette: file });
    await expect(attempt).rejects.toBeInstanceOf(CassetteError);
    await expect(attempt).rejects.toThrow(/calls\[0\]\.flow: must be "org\/project\/slug"/);
    writeFileSync(file, "{ not json");
    await expect(replayScope(async () => undefined, { cassette: file })).rejects.toThrow(/is not JSON/);
    await expect(replayScope(async () => undefined, { cassette: { format: "noukai-cassette", version: 2 } as never })).rejects.toThrow(/version 1/);
    for (const error of [new CassetteError("x"), new ReplayMissError("x")]) expect(error).toBeInstanceOf(ReplayError);
  });

  it("refuses options that cannot go together, or that it does not know, before running anything", async () => {
    let ran = false;
    const fn = async () => void (ran = true);
    await expect(replayScope(fn, { cassette: join(dir, "x.json"), record: join(dir, "y.json") })).rejects.toThrow(/one of replaySessionId, cassette or record/);
    await expect(replayScope(fn, { casette: "x" } as never)).rejects.toThrow(ValueError);
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    await expect(replayScope(fn, { replaySessionId: UNKNOWN })).rejects.toThrow(/needs the client/);
    expect(ran).toBe(false);
  });
});

describe("replayScopeSync and the async client", () => {
  it("refuses to fetch a session with an AsyncNoukai, which cannot block", () => {
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    expect(() => replayScopeSync(() => undefined, { replaySessionId: UNKNOWN, client: makeClient("AsyncNoukai", { apiKey: TEST_KEY, baseUrl: local.baseUrl }) })).toThrow(
      /needs a blocking Noukai client/,
    );
  });
});
