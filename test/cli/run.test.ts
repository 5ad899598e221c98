import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli, startCli } from "./helpers.js";

const local = useLocalServer();
const PARAMS_FLOW = {
  org: "cli",
  project: "tests",
  slug: "params",
  draft: { steps: [{ id: "greet", name: "Greet", template: { text: "{{params.greeting}}, {{message}}", count: "{{params.count}}" } }] },
};
const withParams = useLocalServer({ flows: [PARAMS_FLOW] });

const lines = (text: string) => text.split("\n");

describe("noukai run", () => {
  it("prints only the result in a pipe", async () => {
    const run = await cli(["run", "examples/demo/two-step", "-m", "tides", ...at(local.baseUrl)]);
    expect(run).toMatchObject({ code: 0, stdout: "Article from [Outline of: tides]", stderr: "" });
  });

  it("prints a line per step as it completes on a terminal, then the result", async () => {
    const run = await cli(["run", "examples/demo/two-step", "-m", "tides", ...at(local.baseUrl)], { isTTY: true });
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      expect.stringMatching(/^run [0-9a-f-]{36} started \(2 steps\)$/),
      "✓ 1. Outline           0 ms   10 tokens  $0.00001000",
      "✓ 2. Write             0 ms   13 tokens  $0.00001450",
      "Article from [Outline of: tides]",
    ]);
  });

  it("shows each step's declared duration, its tokens and its cost", async () => {
    // That the lines come while the run goes on is shown by the Ctrl-C test below: it stops after the first one.
    const run = await cli(["run", "examples/demo/slow", "-m", "x", ...at(local.baseUrl)], { isTTY: true });
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      expect.stringMatching(/^run [0-9a-f-]{36} started \(3 steps\)$/),
      "✓ 1. First           300 ms    6 tokens  $0.00000500",
      "✓ 2. Second          300 ms    8 tokens  $0.00000800",
      "✓ 3. Third           300 ms   10 tokens  $0.00001100",
      "third: second: first: x",
    ]);
  });

  it("prints NDJSON with --json: each completed step, then the result", async () => {
    const run = await cli(["run", "examples/demo/two-step", "-m", "tides", "--json", ...at(local.baseUrl)]);
    expect(run.code).toBe(0);
    const records = run.out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({ type: "step_completed", stepId: "outline", stepIndex: 0, output: "Outline of: tides", costUsd: "0.00001000" }),
      expect.objectContaining({ type: "step_completed", stepId: "write", stepIndex: 1, tokens: { prompt: 5, completion: 8, total: 13 } }),
      { type: "result", status: "completed", executionId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string, result: "Article from [Outline of: tides]" },
    ]);
  });

  it("runs drafts and numbered versions (a draft in one call, even on a terminal)", async () => {
    const draft = await cli(["run", "examples/demo/two-step", "-m", "tides", "--version", "draft", ...at(local.baseUrl)], { isTTY: true });
    expect(draft.out).toEqual([
      "(a draft runs in one call: no line per step)",
      expect.stringMatching(/^run [0-9a-f-]{36}$/),
      "Article (draft) from [Outline (draft) of: tides]",
    ]);
    const one = await cli(["run", "examples/demo/two-step", "-m", "tides", "--version", "1", ...at(local.baseUrl)]);
    expect(one.stdout).toBe("Article from [Outline of: tides]");
    const json = await cli(["run", "examples/demo/two-step", "-m", "tides", "--version", "draft", "--json", ...at(local.baseUrl)]);
    expect(JSON.parse(json.stdout)).toMatchObject({ type: "result", status: "completed", result: "Article (draft) from [Outline (draft) of: tides]" });
  });

  it("sends --param as strings, and KEY:=JSON as typed values; prints a non-text result as JSON", async () => {
    const run = await cli(["run", "cli/tests/params", "-m", "Ada", "--param", "greeting=Bonjour", "--param", "count:=3", ...at(withParams.baseUrl)]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ text: "Bonjour, Ada", count: 3 });
    expect(lines(run.stdout)).toHaveLength(4);
  });

  it("takes a conversation from --messages FILE", async () => {
    const dir = await mkdtemp(join(tmpdir(), "noukai-cli-"));
    try {
      const file = join(dir, "conversation.json");
      await writeFile(file, JSON.stringify([{ role: "user", content: "first" }, { role: "assistant", content: "noted" }, { role: "user", content: "second" }]));
      const run = await cli(["run", "examples/demo/hello", "--messages", file, ...at(local.baseUrl)]);
      expect(run).toMatchObject({ code: 0, stdout: "Hello! You said: second" });
      await writeFile(file, JSON.stringify([{ role: "system", content: "x" }]));
      const refused = await cli(["run", "examples/demo/hello", "--messages", file, ...at(local.baseUrl)]);
      expect(refused.code).toBe(2);
      expect(refused.err).toEqual([`noukai: --messages ${file}: messages[0].role must be "user", "assistant" or "tool", got "system"`]);
      // What the client would refuse is said the same way, before any request: not a message, or nested too deep.
      await writeFile(file, '["hi"]');
      expect(await cli(["run", "examples/demo/hello", "--messages", file, ...at(local.baseUrl)])).toMatchObject({
        code: 2,
        err: [`noukai: --messages ${file}: messages[0] must be an object, got "hi"`],
      });
      await writeFile(file, `[{"role":"user","content":${"[".repeat(1_000)}${"]".repeat(1_000)}}]`);
      expect(await cli(["run", "examples/demo/hello", "--messages", file, ...at(local.baseUrl)])).toMatchObject({
        code: 2,
        err: [`noukai: --messages ${file}: messages[0] is nested more than 1000 levels deep, more than the client sends as JSON`],
      });
      const deepParam = await cli(["run", "examples/demo/hello", "-m", "x", "--param", `d:=${"[".repeat(1_000)}${"]".repeat(1_000)}`, ...at(local.baseUrl)]);
      expect(deepParam).toMatchObject({ code: 2, err: ["noukai: --param: parameters is nested more than 1000 levels deep, more than the client sends as JSON"] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports a failed run as one line on stderr and exits 6, with the same code in a pipe, on a terminal and with --json", async () => {
    const failure = /^noukai: FlowExecutionError \(MODEL_ERROR, request req_\w+, execution [0-9a-f-]{36}\): Step "Explode" failed: the mock model refused/;
    const piped = await cli(["run", "examples/demo/broken", "-m", "x", ...at(local.baseUrl)]);
    expect(piped).toMatchObject({ code: 6, stdout: "" });
    expect(piped.err).toEqual([expect.stringMatching(failure) as string]);
    const tty = await cli(["run", "examples/demo/broken", "-m", "x", ...at(local.baseUrl)], { isTTY: true });
    expect(tty.code).toBe(6);
    expect(tty.out).toEqual([
      expect.stringMatching(/^run [0-9a-f-]{36} started/),
      "✓ 1. Prepare           0 ms    7 tokens  $0.00000650",
      expect.stringMatching(/^✗ Explode failed: MODEL_ERROR: /),
    ]);
    expect(tty.err).toEqual([expect.stringMatching(failure) as string]);
    const json = await cli(["run", "examples/demo/broken", "-m", "x", "--json", ...at(local.baseUrl)]);
    expect(json.code).toBe(6);
    expect(JSON.parse(json.out.at(-1) ?? "")).toMatchObject({ type: "result", status: "failed", result: expect.stringContaining("Explode") as string });
    expect(json.err).toEqual([expect.stringMatching(failure) as string]);
    // A draft runs in one call whatever the output, so its failure has one code too: the step's, when the trace
    // keeps the step's error (this server keeps it only for runs made with trace on), else RUN_FAILED.
    const draftFailure = /^noukai: FlowExecutionError \(RUN_FAILED, request req_\w+, execution [0-9a-f-]{36}\): /;
    for (const extra of [[], ["--json"]]) {
      const draft = await cli(["run", "examples/demo/broken", "-m", "x", "--version", "draft", ...extra, ...at(local.baseUrl)]);
      expect(draft.code).toBe(6);
      expect(draft.err).toEqual([expect.stringMatching(draftFailure) as string]);
    }
  });

  it("cancels the run in flight on Ctrl-C after its first step and exits 130", async () => {
    const tty = await cli(["run", "examples/demo/slow", "-m", "x", ...at(local.baseUrl)], {
      isTTY: true,
      onStdout: (_line, stop) => stop("SIGINT"),
    });
    expect(tty).toMatchObject({ code: 130, err: ["noukai: cancelled (SIGINT)"] });
    expect(tty.out).toHaveLength(1);
  });

  it("cancels a one-call run (in a pipe) on Ctrl-C, and exits 143 on SIGTERM", async () => {
    // `slow` takes 900 ms: the stop comes while the call is in flight (or, on a slow machine, before it is sent;
    // either way the call is cancelled).
    const piped = startCli(["run", "examples/demo/slow", "-m", "x", ...at(local.baseUrl)]);
    setTimeout(() => piped.stop("SIGINT"), 100);
    expect(await piped.done).toMatchObject({ code: 130, out: [], err: ["noukai: cancelled (SIGINT)"] });
    const terminated = await cli(["run", "examples/demo/slow", "-m", "x", ...at(local.baseUrl)], { isTTY: true, onStdout: (_line, stop) => stop("SIGTERM") });
    expect(terminated).toMatchObject({ code: 143, err: ["noukai: cancelled (SIGTERM)"] });
  });
});
