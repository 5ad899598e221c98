import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli } from "./helpers.js";

const local = useLocalServer();

const types = (out: string[]) => out.map((line) => (JSON.parse(line) as { type: string }).type);

describe("noukai events", () => {
  it("prints every event of a step-by-step run as NDJSON", async () => {
    const run = await cli(["events", "examples/demo/two-step", "-m", "tides", ...at(local.baseUrl)]);
    expect(run.code).toBe(0);
    expect(types(run.out)).toEqual([
      "run_started",
      "step_started", "step_input", "step_output", "step_completed", "step_paused",
      "step_started", "step_input", "step_output", "step_completed",
      "flow_completed",
    ]);
    const last = JSON.parse(run.out.at(-1) ?? "") as Record<string, unknown>;
    expect(last).toMatchObject({ result: "Article from [Outline of: tides]", summary: { stepCount: 2, costUsd: "0.00002450" } });
  });

  it("runs the remaining steps in one stream with --run-remaining, NDJSON on a terminal too", async () => {
    const run = await cli(["events", "examples/demo/two-step", "-m", "tides", "--run-remaining", ...at(local.baseUrl)], { isTTY: true });
    expect(run.code).toBe(0);
    expect(types(run.out)).not.toContain("step_paused");
    expect(types(run.out).at(-1)).toBe("flow_completed");
  });

  it("prints the failed step's event, then one line on stderr, and exits 6", async () => {
    const run = await cli(["events", "examples/demo/broken", "-m", "x", ...at(local.baseUrl)]);
    expect(run.code).toBe(6);
    expect(types(run.out).at(-1)).toBe("step_error");
    expect(JSON.parse(run.out.at(-1) ?? "")).toMatchObject({ stepId: "explode", error: { code: "MODEL_ERROR" } });
    expect(run.err).toEqual([expect.stringMatching(/^noukai: FlowExecutionError \(MODEL_ERROR, request req_\w+, execution [0-9a-f-]{36}\): Step "Explode" failed/) as string]);
  });

  it("stops quietly with 141 when the reader of its output goes away (EPIPE, as with | head -1)", async () => {
    const run = await cli(["events", "examples/demo/slow", "-m", "x", ...at(local.baseUrl)], { onStdout: (_line, stop) => stop("EPIPE") });
    expect(run).toMatchObject({ code: 141, err: [] });
    // Events already read may still be handed over; the run's later steps never are.
    expect(types(run.out)[0]).toBe("run_started");
    expect(types(run.out)).not.toContain("step_completed");
  });

  it("refuses drafts before any request (streams cannot run them)", async () => {
    const run = await cli(["events", "examples/demo/two-step", "-m", "x", "--version", "draft", ...at(local.baseUrl)]);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([expect.stringMatching(/^noukai: ValueError: steps\(\) and events\(\) cannot run the draft/) as string]);
  });
});
