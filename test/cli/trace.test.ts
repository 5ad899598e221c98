import { AsyncNoukai } from "noukai";
import { beforeAll, describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli, KEY } from "./helpers.js";

const local = useLocalServer();
let retryLoopRun = "";

beforeAll(async () => {
  const client = new AsyncNoukai({ apiKey: KEY, baseUrl: local.baseUrl });
  const result = await client.flow("examples/demo/retry-loop").execute({ message: "x", trace: true });
  retryLoopRun = result.executionId ?? "";
  await client.close();
});

describe("noukai trace", () => {
  it("prints a summary line and a table of the run's steps", async () => {
    const run = await cli(["trace", "examples/demo/retry-loop", retryLoopRun, ...at(local.baseUrl)]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(new RegExp(`^run ${retryLoopRun}  completed  2 steps  \\d+ ms  trigger execute$`));
    expect(run.out.slice(1)).toEqual([
      "STEP   ATTEMPT  LOOP  STATUS     DURATION  MODEL          TOKENS  COST",
      "flaky  3        -     completed  0 ms      noukai/mock-1  11      $0.00001250",
      "each   1        2     completed  0 ms      noukai/mock-1  7       $0.00000650",
    ]);
  });

  it("prints the trace as JSON with --json", async () => {
    const run = await cli(["trace", "examples/demo/retry-loop", retryLoopRun, "--json", ...at(local.baseUrl)]);
    const trace = JSON.parse(run.stdout) as { flowRun: { id: string }; steps: { stepId: string; attempt: number }[] };
    expect(trace.flowRun.id).toBe(retryLoopRun);
    expect(trace.steps.map((step) => [step.stepId, step.attempt])).toEqual([["flaky", 3], ["each", 1]]);
  });

  it("shows every attempt of one step with --step and --attempt all, with what each failure said", async () => {
    const run = await cli(["trace", "examples/demo/retry-loop", retryLoopRun, "--step", "flaky", "--attempt", "all", ...at(local.baseUrl)]);
    expect(run.out).toEqual([
      "step flaky: 3 attempts shown",
      "STEP   ATTEMPT  LOOP  STATUS     DURATION  MODEL          TOKENS  COST",
      "flaky  1        -     failed     0 ms      noukai/mock-1  4       $0.00000200",
      "flaky  2        -     failed     0 ms      noukai/mock-1  4       $0.00000200",
      "flaky  3        -     completed  0 ms      noukai/mock-1  11      $0.00001250",
      '  flaky attempt 1 failed: MODEL_ERROR: attempt 1 of step "flaky" failed (the step declares failAttempts: 2)',
      '  flaky attempt 2 failed: MODEL_ERROR: attempt 2 of step "flaky" failed (the step declares failAttempts: 2)',
    ]);
  });

  it("shows one attempt by number, one loop iteration, and the latest by default", async () => {
    const second = await cli(["trace", "examples/demo/retry-loop", retryLoopRun, "--step", "flaky", "--attempt", "2", "--json", ...at(local.baseUrl)]);
    expect(JSON.parse(second.stdout)).toMatchObject({ stepId: "flaky", attempt: 2, status: "failed" });
    const iteration = await cli(["trace", "examples/demo/retry-loop", retryLoopRun, "--step", "each", "--loop-index", "1", "--json", ...at(local.baseUrl)]);
    expect(JSON.parse(iteration.stdout)).toMatchObject({ stepId: "each", loopIndex: 1, outputContext: { output: "item 1 of x" } });
    const latest = await cli(["trace", "examples/demo/retry-loop", retryLoopRun, "--step", "flaky", ...at(local.baseUrl)]);
    expect(latest.out[0]).toBe("step flaky: 1 attempt shown");
    expect(latest.out[2]).toMatch(/^flaky {2}3 +- +completed/);
  });

  it("follows a running job with --live until it ends, as text and as NDJSON", async () => {
    const submitted = await cli(["job", "submit", "examples/demo/slow", "-m", "live", ...at(local.baseUrl)]);
    const id = submitted.stdout;
    const live = await cli(["trace", "examples/demo/slow", id, "--live", ...at(local.baseUrl)]);
    expect(live.code).toBe(0);
    expect(live.out).toEqual([
      `run ${id} started (3 steps)`,
      "… First",
      "✓ First              300 ms    8 tokens  $0.00000700",
      "… Second",
      "✓ Second             300 ms   10 tokens  $0.00001000",
      "… Third",
      "✓ Third              300 ms   12 tokens  $0.00001300",
      "run completed: 3 steps, 900 ms, 30 tokens, $0.00003000",
    ]);
    const json = await cli(["trace", "examples/demo/slow", id, "--live", "--json", ...at(local.baseUrl)]);
    const events = json.out.map((line) => JSON.parse(line) as { type: string });
    expect(events[0]).toMatchObject({ type: "run_started", executionId: id });
    expect(events.at(-1)).toMatchObject({ type: "flow_completed", result: "third: second: first: live" });
    // On a terminal, the ✓ in green, as noukai run shows it; the summary's status in its colour.
    const coloured = await cli(["trace", "examples/demo/slow", id, "--live", ...at(local.baseUrl)], { isTTY: true, color: true });
    expect(coloured.out).toContain("\x1b[32m✓\x1b[39m First              300 ms    8 tokens  $0.00000700");
    const summary = await cli(["trace", "examples/demo/slow", id, ...at(local.baseUrl)], { isTTY: true, color: true });
    expect(summary.out[0]).toContain("  \x1b[32mcompleted\x1b[39m  3 steps");
  });

  it("refuses flags that do not go together, and unknown runs are not found", async () => {
    for (const extra of [["--attempt", "all"], ["--loop-index", "1"], ["--step", "flaky", "--attempt", "first"], ["--step", "flaky", "--live"]]) {
      const run = await cli(["trace", "examples/demo/retry-loop", retryLoopRun, ...extra, ...at(local.baseUrl)]);
      expect(run.code).toBe(2);
      expect(run.err).toHaveLength(1);
    }
    const missing = await cli(["trace", "examples/demo/retry-loop", "00000000-0000-4000-8000-000000000000", ...at(local.baseUrl)]);
    expect(missing.code).toBe(4);
    expect(missing.err[0]).toMatch(/^noukai: RunNotFoundError \(RUN_NOT_FOUND, request req_\w+, execution 0{8}-[-0-9]+\): HTTP 404 RUN_NOT_FOUND: /);
  });
});
