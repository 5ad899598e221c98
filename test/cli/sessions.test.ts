import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsyncNoukai, currentSessionId, replayScope } from "noukai";
import { afterAll, describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli, KEY } from "./helpers.js";

const local = useLocalServer();
const dir = mkdtempSync(join(tmpdir(), "noukai-cli-sessions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A session captured on the local server: a greeting, and a run that fails. */
async function captured(): Promise<string> {
  const client = new AsyncNoukai({ apiKey: KEY, baseUrl: local.baseUrl });
  try {
    return await replayScope(async () => {
      await client.flow("examples/demo/hello").execute({ message: "to pull" });
      await client.flow("examples/demo/broken").execute({ message: "x" });
      return currentSessionId() ?? "";
    });
  } finally {
    await client.close();
  }
}

describe("noukai sessions", () => {
  it("pulls a session into a cassette that replays with no service", async () => {
    const sessionId = await captured();
    const file = join(dir, "pulled.json");
    const pull = await cli(["sessions", "pull", sessionId, "-o", file, ...at(local.baseUrl)]);
    expect(pull).toMatchObject({ code: 0, stderr: "" });
    const described = await cli(["sessions", "pull", sessionId, "-o", file, "--json", ...at(local.baseUrl)]);
    expect(JSON.parse(described.stdout)).toEqual({ sessionId, runs: 2, file });
    expect((await cli(["sessions", "pul", sessionId, ...at(local.baseUrl)])).err).toEqual([`noukai: noukai sessions has no action "pul" (did you mean pull?); it takes pull, show (see noukai sessions --help)`]);
    expect(readFileSync(file, "utf8")).not.toContain(KEY);
    const offline = new AsyncNoukai({ apiKey: KEY, baseUrl: "http://127.0.0.1:9/api/v1" });
    const replayed = await replayScope(async () => {
      const hello = await offline.flow("examples/demo/hello").execute({ message: "anything" });
      const broken = await offline.flow("examples/demo/broken").execute({ message: "anything" });
      return [hello.status === "tool_calls_required" ? undefined : hello.result, broken.status];
    }, { cassette: file });
    expect(replayed).toEqual(["Hello! You said: to pull", "failed"]);
    await offline.close();
  });

  it("shows a session's runs and steps, or its JSON", async () => {
    const sessionId = await captured();
    const shown = await cli(["sessions", "show", sessionId, ...at(local.baseUrl)]);
    expect(shown.code).toBe(0);
    expect(shown.out[0]).toBe(`session ${sessionId}: 2 run(s)`);
    expect(shown.stdout).toMatch(/execute hello {2}completed/);
    expect(shown.stdout).toMatch(/explode +failed +0 ms +the mock model refused/);
    const json = await cli(["sessions", "show", sessionId, "--json", ...at(local.baseUrl)]);
    expect(JSON.parse(json.stdout)).toMatchObject({ sessionId, executions: [{ slug: "hello" }, { slug: "broken", status: "failed" }] });
  });

  it("refuses a session id that is no UUID, before any request, and an unknown one as not found", async () => {
    const bad = await cli(["sessions", "show", "not-a-uuid", ...at(local.baseUrl)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/ReplayInvalidSessionError.*UUID/);
    const unknown = await cli(["sessions", "pull", "3f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f", ...at(local.baseUrl)]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/ReplaySessionNotFoundError/);
  });
});
