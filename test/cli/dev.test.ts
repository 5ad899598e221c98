import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { cli, KEY, testIo as injectedIo } from "./helpers.js";

/** The injected io, and a promise that the server is up (it says "Press Ctrl+C" once it listens). */
function testIo() {
  let started!: () => void;
  const up = new Promise<void>((resolve) => (started = resolve));
  const t = injectedIo({
    onStdout: (line) => {
      if (line.startsWith("Press Ctrl+C")) started();
    },
  });
  return { ...t, stop: () => t.stop("SIGTERM"), started: up };
}

describe("noukai dev", () => {
  it("serves the API, prints its URL and flows, and stops cleanly when asked", async () => {
    const t = testIo();
    const exit = main(["dev", "--port", "0", "--host", "127.0.0.1", "--api-key", `${KEY}@examples`, "--fault", "poll:503:times=1", "--credits", "examples=10", "--rate-limit", "100/1", "--seed", "3", "--job-latency", "30", "--job-workers", "1"], t.io);
    await t.started;
    const url = /listening on (\S+)/.exec(t.out[0] ?? "")?.[1] ?? "";
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(t.out).toContain("  examples/demo/two-step  [draft, versions 1 (production: v1)]");
    const answer = await fetch(`${url}/seq/examples/demo/hello/execute`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: '{"message":"cli"}',
    });
    expect(((await answer.json()) as { result: string }).result).toBe("Hello! You said: cli");
    expect((await fetch(`${url}/seq/examples/demo/hello/jobs/x`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(503);
    // --job-latency 30: the worker takes 30 s to pick a job up, so it is pending until then.
    const submit = (message: string) =>
      fetch(`${url}/seq/examples/demo/hello/jobs`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ message }) }).then(async (r) => ((await r.json()) as { executionId: string }).executionId);
    const job = await submit("queued");
    const poll = await fetch(`${url}/seq/examples/demo/hello/jobs/${job}`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(((await poll.json()) as { status: string }).status).toBe("pending");
    t.stop();
    expect(await exit).toBe(0);
    await expect(fetch(`${url}/seq/examples/demo/hello/execute`, { method: "POST" })).rejects.toThrow();
  });

  it("listens on localhost:8080 by default", async () => {
    const t = testIo();
    const exit = main(["dev"], t.io).catch((error: Error) => error);
    const outcome = await Promise.race([t.started.then(() => "started"), exit.then(() => "exited")]);
    if (outcome === "started") {
      expect(t.out[0]).toBe("Noukai local server listening on http://localhost:8080/api/v1");
      const answer = await fetch("http://localhost:8080/api/v1/seq/examples/demo/hello/execute", {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}` },
        body: '{"message":"default"}',
      });
      expect(answer.status).toBe(200);
      // The client commands reach it with --dev (or NOUKAI_ENV=dev), with the nk_dev key unless one is given.
      expect(await cli(["--dev", "run", "examples/demo/hello", "-m", "via --dev"])).toMatchObject({ code: 0, stdout: "Hello! You said: via --dev" });
      expect(await cli(["run", "examples/demo/hello", "-m", "via env"], { env: { NOUKAI_ENV: "dev" } })).toMatchObject({ code: 0, stdout: "Hello! You said: via env" });
      t.stop();
      expect(await exit).toBe(0);
    } else {
      // Something else already holds 8080 on this machine: the command says so.
      expect(String(await exit)).toMatch(/port 8080 is already in use/);
    }
  });

  it("serves flows from --flows and refuses invalid files with file and field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "noukai-cli-"));
    try {
      await writeFile(join(dir, "bad.json"), JSON.stringify({ org: "o", project: "p", slug: "s", draft: { steps: [{ id: "a", latencyMs: "slow" }] } }));
      const t = testIo();
      await expect(main(["dev", "--port", "0", "--flows", dir], t.io)).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringContaining(`${join(dir, "bad.json")}: /draft/steps/0/latencyMs: must be integer`) as string,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [["dev", "--nope"], /^unknown flag --nope \(see noukai dev --help\)$/],
    [["dev", "--prot", "0"], /^unknown flag --prot \(did you mean --port\?\)/],
    [["dev", "--port"], /^--port needs a value/],
    [["dev", "--port", "http"], /--port must be a whole number/],
    [["dev", "--api-key", "sk_123"], /--api-key needs a key that starts with nk_/],
    [["dev", "--fault", "execute:teapot"], /unknown action/],
    [["dev", "--credits", "acme"], /expected ORG=USD/],
    [["dev", "--rate-limit", "ten"], /expected REQUESTS\/SECONDS/],
    [["dev", "--job-latency", "soon"], /--job-latency must be a number of seconds/],
    [["dev", "--job-workers", "0"], /--job-workers must be a whole number from 1 to 1000/],
    [["launch"], /unknown command/],
  ])("exits 2 on usage errors: %j", async (argv, message) => {
    await expect(main(argv, testIo().io)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) as string });
  });

  it("prints help and the version", async () => {
    const t = testIo();
    expect(await main(["--version"], t.io)).toBe(0);
    expect(t.out[0]).toMatch(/^\d+\.\d+\.\d+/);
    expect(await main(["dev", "--help"], t.io)).toBe(0);
    expect(t.out.at(-1)).toContain("--rate-limit N/SECONDS");
    expect(t.out.at(-1)).toContain("--job-latency SECONDS");
    expect(t.out.at(-1)).toContain("-q, --quiet");
  });

  it("prints a line per request (method, path, status, duration, execution id), and nothing with --quiet", async () => {
    for (const quiet of [false, true]) {
      const t = testIo();
      const exit = main(["dev", "--port", "0", ...(quiet ? ["--quiet"] : [])], t.io);
      await t.started;
      const url = /listening on (\S+)/.exec(t.out[0] ?? "")?.[1] ?? "";
      const before = t.out.length;
      const run = await cli(["run", "examples/demo/two-step", "-m", "x", "--json", "--base-url", url, "--api-key", KEY]);
      const executionId = (JSON.parse(run.out.at(-1) ?? "") as { executionId: string }).executionId;
      await cli(["run", "examples/demo/nope", "-m", "x", "--base-url", url, "--api-key", KEY]);
      const logged = t.out.slice(before);
      if (quiet) expect(logged).toEqual([]);
      else {
        expect(logged).toEqual([
          expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d  POST /api/v1/seq/examples/demo/two-step/step  200  \\d+ ms  ${executionId}$`)),
          expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d  POST /api/v1/seq/examples/demo/two-step/step  200  \\d+ ms  ${executionId}$`)),
          expect.stringMatching(/^\d\d:\d\d:\d\d {2}POST \/api\/v1\/seq\/examples\/demo\/nope\/step {2}404 {2}\d+ ms$/),
        ]);
      }
      t.stop();
      expect(await exit).toBe(0);
    }
  });

  it("reloads --flows when a file is added or changed; a bad edit is reported and the last good flows stay", async () => {
    const dir = await mkdtemp(join(tmpdir(), "noukai-cli-"));
    const flow = (slug: string, template: string) => JSON.stringify({ org: "dev", project: "local", slug, draft: { steps: [{ id: "only", template }] } });
    try {
      await writeFile(join(dir, "greet.json"), flow("greet", "hello {{message}}"));
      const t = testIo();
      const exit = main(["dev", "--port", "0", "--quiet", "--flows", dir], t.io);
      await t.started;
      const url = /listening on (\S+)/.exec(t.out[0] ?? "")?.[1] ?? "";
      const run = (slug: string) => cli(["run", `dev/local/${slug}`, "-m", "you", "--base-url", url, "--api-key", KEY]);
      const until = async (check: () => boolean) => {
        for (let waited = 0; !check(); waited += 50) {
          if (waited > 10_000) throw new Error(`gave up waiting; out: ${t.out.join(" | ")}; err: ${t.err.join(" | ")}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      expect((await run("greet")).stdout).toBe("hello you");
      expect((await run("added")).code).toBe(4);

      await writeFile(join(dir, "added.json"), flow("added", "new {{message}}"));
      await until(() => t.out.includes("  + dev/local/added  [draft only]"));
      expect(t.out.slice(t.out.indexOf("Flows reloaded:"))).toEqual(["Flows reloaded:", "  + dev/local/added  [draft only]"]);
      expect((await run("added")).stdout).toBe("new you");

      await writeFile(join(dir, "greet.json"), flow("greet", "bonjour {{mesage}}"));
      await until(() => t.err.length > 0);
      expect(t.err[0]).toBe("flow files not reloaded; still serving the last good ones:");
      expect(t.err.join("\n")).toContain("mesage");
      expect(t.err.join("\n")).toContain("message");
      expect((await run("greet")).stdout).toBe("hello you");

      const reloads = t.out.filter((line) => line === "Flows reloaded:").length;
      await writeFile(join(dir, "greet.json"), flow("greet", "bonjour {{message}}"));
      await until(() => t.out.filter((line) => line === "Flows reloaded:").length > reloads);
      expect(t.out.at(-1)).toBe("  ~ dev/local/greet  [draft only]");
      expect((await run("greet")).stdout).toBe("bonjour you");
      t.stop();
      expect(await exit).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("writes its log as NDJSON with --json: listening, each request, stopping", async () => {
    let listening!: (url: string) => void;
    const up = new Promise<string>((resolve) => (listening = resolve));
    const t = injectedIo({
      onStdout: (line) => {
        const record = JSON.parse(line) as { type: string; baseUrl?: string };
        if (record.type === "listening") listening(record.baseUrl ?? "");
      },
    });
    const exit = main(["dev", "--port", "0", "--json"], t.io);
    const url = await up;
    const run = await cli(["run", "examples/demo/hello", "-m", "x", "--json", "--base-url", url, "--api-key", KEY]);
    const executionId = (JSON.parse(run.out.at(-1) ?? "") as { executionId: string }).executionId;
    t.stop("SIGTERM");
    expect(await exit).toBe(0);
    const records = t.out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      { type: "listening", baseUrl: url, flows: expect.arrayContaining(["examples/demo/hello"]) as string[], watching: null, dataDir: null },
      { type: "request", method: "POST", path: "/api/v1/seq/examples/demo/hello/step", status: 200, durationMs: expect.any(Number) as number, requestId: expect.stringMatching(/^req_/) as string, executionId },
      { type: "stopping", signal: "SIGTERM", graceMs: 5000 },
    ]);
  });
});
