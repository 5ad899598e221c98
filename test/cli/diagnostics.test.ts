import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli, KEY } from "./helpers.js";

/**
 * Findings 9-12 and 16 of issue 14: errors that say where the call went and
 * what to try, colour only for a person, and every exchange on --debug.
 */
const local = useLocalServer();
const SGR = /\x1b\[[0-9;]*m/;

describe("noukai diagnostics", () => {
  it("names a host that does not resolve, and the setting that named it", async () => {
    const run = await cli(["run", "examples/demo/hello", "-m", "x", ...at("https://nowhere.invalid/api/v1")]);
    expect(run.code).toBe(7);
    expect(run.err).toEqual([expect.stringMatching(/^noukai: APIConnectionError \((ENOTFOUND|EAI_AGAIN)\): .*; cannot reach nowhere\.invalid: the name (does not resolve|could not be looked up); check the host name in --base-url$/) as string]);
  });

  it("with --dev and no server, suggests starting noukai dev", async () => {
    const run = await cli(["--dev", "run", "examples/demo/hello", "-m", "x"]);
    if (run.code === 0) {
      // A local server holds localhost:8080 right now (another test's noukai dev, or the user's): --dev reached it.
      expect(run.stdout).toBe("Hello! You said: x");
    } else {
      expect(run.code).toBe(7);
      expect(run.err).toEqual([expect.stringMatching(/; cannot reach localhost:8080: nothing listens there; is noukai dev running on localhost:8080\? Start it with: noukai dev$/) as string]);
    }
  });

  it("says a route the server does not know is a wrong API root, not a missing flow", async () => {
    const wrongRoot = local.baseUrl.replace(/\/api\/v1$/, "/v2/api/v1");
    const run = await cli(["run", "examples/demo/hello", "-m", "x", ...at(wrongRoot)]);
    expect(run.code).toBe(4);
    expect(run.err[0]).toContain(`has no such route: is ${wrongRoot} (--base-url) a Noukai API root?`);
  });

  it("colours step lines for a person at a terminal only: not in a pipe, not with --no-color or NO_COLOR", async () => {
    const argv = ["run", "examples/demo/two-step", "-m", "tides", ...at(local.baseUrl)];
    const coloured = await cli(argv, { isTTY: true, color: true });
    expect(coloured.out.find((line) => line.includes("1. Outline"))).toMatch(/^\x1b\[32m✓\x1b\[39m 1\. Outline/);
    expect(coloured.out.at(-1)).toBe("Article from [Outline of: tides]");
    for (const quiet of [
      await cli(argv, { color: true }),
      await cli([...argv, "--no-color"], { isTTY: true, color: true }),
      await cli(["--no-color", ...argv], { isTTY: true, color: true }),
      await cli(argv, { isTTY: true, color: true, env: { NO_COLOR: "1" } }),
    ]) {
      expect(quiet.code).toBe(0);
      expect(quiet.stdout).not.toMatch(SGR);
    }
  });

  it("prints each HTTP exchange on stderr with --debug, the key redacted", async () => {
    const run = await cli(["run", "examples/demo/hello", "-m", "x", "--debug", ...at(local.baseUrl)]);
    expect(run).toMatchObject({ code: 0, stdout: "Hello! You said: x" });
    expect(run.err[0]).toBe(`debug: → POST ${local.baseUrl}/seq/examples/demo/hello/step`);
    expect(run.err).toContain("debug:   authorization: Bearer nk_…[redacted]");
    expect(run.err).toContainEqual(expect.stringMatching(/^debug: ← 200 POST \/seq\/examples\/demo\/hello\/step \(\d+ ms/));
    expect(run.err).toContain("debug: ← event flow_completed");
    expect(run.stderr).not.toContain(KEY);
  });

  it("takes --json on every command that prints, events included", async () => {
    const run = await cli(["events", "examples/demo/hello", "-m", "x", "--json", ...at(local.baseUrl)]);
    expect(run.code).toBe(0);
    expect(run.out.map((line) => (JSON.parse(line) as { type: string }).type)).toContain("flow_completed");
  });
});
