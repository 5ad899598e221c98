import { describe, expect, it } from "vitest";
import { call, expectError, flowPath, makeApp, post, WEATHER_TOOLS, type TestApp } from "./helpers.js";

async function waitForStatus(app: TestApp, slug: string, id: string, wanted: string[]) {
  for (;;) {
    const poll = await call(app, flowPath(slug, `/jobs/${id}`));
    if (wanted.includes(poll.json?.status)) return poll.json;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("jobs", () => {
  it("accepts with 202 pending, runs on the pool, and polls through running to completed", async () => {
    const app = makeApp();
    const accepted = await call(app, flowPath("slow", "/jobs"), { body: { message: "job", trace: false } });
    expect(accepted.status).toBe(202);
    expect(accepted.json).toEqual({ executionId: expect.any(String), status: "pending", flowId: "flow_examples/demo/slow", blockCount: 3 });
    const id = accepted.json.executionId;
    expect((await waitForStatus(app, "slow", id, ["running"])).result).toBeNull();
    expect(await waitForStatus(app, "slow", id, ["completed"])).toEqual({
      executionId: id,
      status: "completed",
      result: "third: second: first: job",
      error: null,
    });
    await app.close();
  });

  it("reports a failed job with an error string", async () => {
    const app = makeApp();
    const id = (await post(app, "broken", "jobs", { message: "m" })).json.executionId;
    const failed = await waitForStatus(app, "broken", id, ["failed"]);
    expect(failed.result).toBeNull();
    expect(failed.error).toContain('"explode"');
  });

  it("runs versioned submissions and polls them unversioned", async () => {
    const app = makeApp();
    const id = (await call(app, flowPath("two-step", "/v0/jobs"), { body: { message: "m" } })).json.executionId;
    expect((await waitForStatus(app, "two-step", id, ["completed"])).result).toContain("(draft)");
  });

  it("refuses tools, unknown ids, and a full queue (503 QUEUE_FULL with Retry-After)", async () => {
    const app = makeApp({ jobConcurrency: 1, maxQueuedJobs: 1 });
    expectError(await post(app, "weather", "jobs", { message: "m", tools: WEATHER_TOOLS }), 400, "TOOLS_REQUIRE_SYNC_EXECUTE");
    expectError(await call(app, flowPath("slow", "/jobs/nope")), 404, "JOB_NOT_FOUND");
    expect((await post(app, "slow", "jobs", { message: "1" })).status).toBe(202);
    expect((await post(app, "slow", "jobs", { message: "2" })).status).toBe(202);
    const full = await post(app, "slow", "jobs", { message: "3" });
    expectError(full, 503, "QUEUE_FULL");
    expect(full.headers.get("retry-after")).toBe("1");
    await app.close();
  });

  it("hides a new job for jobVisibilityDelayMs, like the real service", async () => {
    let now = 1_000;
    const app = makeApp({ jobVisibilityDelayMs: 2_000, now: () => now });
    const id = (await post(app, "hello", "jobs", { message: "m" })).json.executionId;
    expectError(await call(app, flowPath("hello", `/jobs/${id}`)), 404, "JOB_NOT_FOUND");
    now = 3_000;
    expect((await call(app, flowPath("hello", `/jobs/${id}`))).status).toBe(200);
  });

  it("keeps a job pending while a worker picks it up, and cancels it if the app closes meanwhile", async () => {
    const app = makeApp({ jobLatencyMs: 60_000 });
    const id = (await post(app, "hello", "jobs", { message: "m" })).json.executionId;
    expect((await call(app, flowPath("hello", `/jobs/${id}`))).json).toMatchObject({ status: "pending", result: null });
    expect(app.stats().stored).toMatchObject({ queuedJobs: 0, runningJobs: 1 });
    await app.close();
    expect(app.stats().stored).toMatchObject({ queuedJobs: 0, runningJobs: 0 });
    expect(app.stats().executionsStarted).toBe(1);
  });

  it("refuses a job latency or worker count that is not a number in range", () => {
    expect(() => makeApp({ jobLatencyMs: -1 })).toThrow(/option jobLatencyMs must be a number >= 0/);
    // Longer than a timer holds, the wait would end at once.
    expect(() => makeApp({ jobLatencyMs: 2 ** 31 })).toThrow("option jobLatencyMs must be at most 2147483647 ms (about 24 days), got 2147483648");
    expect(() => makeApp({ heartbeatMs: 1e10 })).toThrow(/option heartbeatMs must be at most 2147483647 ms/);
    expect(() => makeApp({ jobConcurrency: 0 })).toThrow(/option jobConcurrency must be a number >= 1/);
    expect(() => makeApp({ jobLatencyMs: Number.NaN })).toThrow(RangeError);
  });

  it("cancels queued jobs on close", async () => {
    const app = makeApp({ jobConcurrency: 1 });
    await post(app, "slow", "jobs", { message: "1" });
    const queued = (await post(app, "slow", "jobs", { message: "2" })).json.executionId;
    await app.close();
    const poll = await call(app, flowPath("slow", `/jobs/${queued}`));
    expectError(poll, 503, "SERVER_CLOSING");
    expect(app.stats().stored).toMatchObject({ queuedJobs: 0, runningJobs: 0 });
  });
});
