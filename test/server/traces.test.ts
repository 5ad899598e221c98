import { describe, expect, it } from "vitest";
import { call, expectError, flowPath, makeApp, parseSse, post } from "./helpers.js";

const app = makeApp();

describe("traces", () => {
  it("returns the run and the latest attempt of each step", async () => {
    const id = (await post(app, "retry-loop", "execute", { message: "m" })).json.executionId;
    const trace = await call(app, flowPath("retry-loop", `/runs/${id}/trace`));
    expect(trace.json.flowRun).toEqual({
      id,
      flowId: "flow_examples/demo/retry-loop",
      status: "completed",
      triggerType: "execute",
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      durationMs: expect.any(Number),
      stepCount: 2,
    });
    expect(trace.json.steps.map((s: { stepId: string; attempt: number; loopIndex: number | null }) => [s.stepId, s.attempt, s.loopIndex])).toEqual([
      ["flaky", 3, null],
      ["each", 1, 2],
    ]);
    const step = trace.json.steps[0];
    expect(step).toMatchObject({ status: "completed", modelUsed: "noukai/mock-1", costUsd: expect.stringMatching(/^\d+\.\d+$/) });
    expect(step.inputContext).toBeUndefined();
    expect((await call(app, flowPath("retry-loop", `/runs/${id}`))).json).toEqual(trace.json.flowRun);
  });

  it("selects attempts (latest, all, N) and loop iterations", async () => {
    const id = (await post(app, "retry-loop", "execute", { message: "m" })).json.executionId;
    const stepTrace = (stepId: string, query = "") => call(app, flowPath("retry-loop", `/runs/${id}/steps/${stepId}/trace${query}`));
    expect((await stepTrace("flaky")).json).toMatchObject({ stepId: "flaky", attempt: 3, status: "completed" });
    const all = (await stepTrace("flaky", "?attempt=all")).json;
    expect(all.stepId).toBe("flaky");
    expect(all.attempts.map((a: { attempt: number; status: string }) => `${a.attempt}:${a.status}`)).toEqual(["1:failed", "2:failed", "3:completed"]);
    expect((await stepTrace("flaky", "?attempt=2")).json).toMatchObject({ attempt: 2, status: "failed" });
    expect((await stepTrace("each", "?attempt=all&loop_index=1")).json.attempts).toHaveLength(1);
    expect((await stepTrace("each", "?loop_index=0")).json).toMatchObject({ loopIndex: 0, attempt: 1 });
    expectError(await stepTrace("flaky", "?attempt=9"), 404, "STEP_NOT_FOUND");
    expectError(await stepTrace("each", "?loop_index=7"), 404, "STEP_NOT_FOUND");
    expectError(await stepTrace("nope"), 404, "STEP_NOT_FOUND");
    expectError(await stepTrace("flaky", "?attempt=first"), 400, "BAD_REQUEST");
    expectError(await call(app, flowPath("retry-loop", "/runs/unknown/trace")), 404, "RUN_NOT_FOUND");
  });

  it("includes snapshots and sizes when the run asked for trace: true", async () => {
    const id = (await post(app, "broken", "execute", { message: "m", trace: true })).json.executionId;
    const steps = (await call(app, flowPath("broken", `/runs/${id}/trace`))).json.steps;
    expect(steps[0]).toMatchObject({ inputContext: { message: "m" }, outputContext: { output: "prepared: m" }, errorContext: null, inputSizeBytes: 15 });
    expect(steps[1]).toMatchObject({ status: "failed", errorContext: { code: "MODEL_ERROR" }, outputContext: null });
  });

  it("replays a finished run on the live stream and closes", async () => {
    const id = (await post(app, "two-step", "execute", { message: "m" })).json.executionId;
    const live = await call(app, flowPath("two-step", `/runs/${id}/trace/stream`), { headers: { accept: "application/json" } });
    expect(live.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(live.text).map((e) => e.event);
    expect(events[0]).toBe("run_started");
    expect(events.at(-1)).toBe("flow_completed");
  });

  it.each(["two-step", "retry-loop", "broken"])("replays the same events a /step stream carried (%s)", async (slug) => {
    const executed = (await post(app, slug, "execute", { message: "same" })).json.executionId;
    const replayed = (await call(app, flowPath(slug, `/runs/${executed}/trace/stream`))).text.replaceAll(executed, "ID");
    const stream = parseSse((await post(app, slug, "step", { message: "same", runRemaining: true })).text);
    const streamed = stream.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`).join("").replaceAll(stream[0]?.data.executionId, "ID");
    expect(replayed).toBe(streamed);
  });

  it("tails a running run live until it completes", async () => {
    const local = makeApp({ heartbeatMs: 50 });
    const id = (await post(local, "slow", "jobs", { message: "m" })).json.executionId;
    const response = await local.fetch(
      new Request(`http://local.test/api/v1/seq/examples/demo/slow/runs/${id}/trace/stream`, { headers: { authorization: "Bearer nk_x" } }),
    );
    const text = await response.text();
    const events = parseSse(text).map((e) => e.event);
    expect(events.filter((e) => e === "step_completed")).toHaveLength(3);
    expect(events.at(-1)).toBe("flow_completed");
    expect(text).toContain(": ping\n\n");
  });

  it("closes the live stream when the run pauses for tools", async () => {
    const paused = (await post(app, "weather", "execute", { message: "in Oslo", tools: [{ type: "function", function: { name: "get_weather" } }] })).json;
    const live = await call(app, flowPath("weather", `/runs/${paused.executionId}/trace/stream`));
    expect(parseSse(live.text).at(-1)?.event).toBe("step_paused_for_tool_calls");
  });
});
