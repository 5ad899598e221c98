import { startServer, type RunningServer } from "noukai/server";
import { APITimeoutError, FlowNotFoundError, ValueError } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";

let server: RunningServer;
let lagging: RunningServer;
let narrow: RunningServer;
beforeAll(async () => {
  [server, lagging, narrow] = await Promise.all([
    startServer({ port: 0 }),
    startServer({ port: 0, jobVisibilityDelayMs: 1_000 }),
    // Few workers that take a while to pick a job up: a queue forms.
    startServer({ port: 0, jobConcurrency: 2, jobLatencyMs: 1_000 }),
  ]);
});
afterAll(async () => {
  await Promise.all([server.close(), lagging.close(), narrow.close()]);
});

describe.each(CLIENT_KINDS)("%s jobs", (kind) => {
  const flow = (target = server, slug = "examples/demo/slow") => makeClient(kind, { apiKey: TEST_KEY, baseUrl: target.baseUrl }).flow(slug);

  it("queues a run and waits for its result", async () => {
    const job = await flow().executeAsync({ message: "queued" });
    expect(job.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.flowId).toEqual(expect.any(String));
    const first = await job.poll();
    expect(["pending", "running"]).toContain(first.status);
    const done = await job.wait({ pollInterval: 100 });
    expect(done).toMatchObject({ executionId: job.executionId, status: "completed", result: "third: second: first: queued" });
  });

  it("finds a new job pending at the defaults, so a short wait times out while it is", async () => {
    const job = await flow(server, "examples/demo/hello").executeAsync({ message: "queued" });
    // wait() polls at once and returns on a final status: only a pending (or running) job makes it time out.
    await expect(settle(() => job.wait({ timeout: 1 }))).rejects.toBeInstanceOf(APITimeoutError);
    expect(await job.wait({ pollInterval: 50 })).toMatchObject({ status: "completed", result: "Hello! You said: queued" });
  });

  it("polls a job while it runs: running, no result yet", async () => {
    const job = await flow().executeAsync({ message: "watched" });
    const seen: string[] = [];
    for (;;) {
      const status = await job.poll();
      if (seen.at(-1) !== status.status) seen.push(status.status);
      if (status.status === "running") expect(status.result ?? null).toBeNull();
      if (status.status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toContain("running");
    expect(seen.at(-1)).toBe("completed");
  });

  it("queues many jobs behind few workers, first in first out", async () => {
    const jobs = [];
    for (let n = 0; n < 6; n++) jobs.push(await flow(narrow, "examples/demo/hello").executeAsync({ message: `n${n}` }));
    // Two workers are picking up the first two jobs; four wait behind them.
    expect((await narrow.stats()).stored).toMatchObject({ runningJobs: 2, queuedJobs: 4 });
    for (const job of jobs) expect((await job.poll()).status).toBe("pending");
    await jobs[0]?.wait({ pollInterval: 20 });
    // The last two are picked up only once the middle two are done.
    expect((await jobs[5]?.poll())?.status).toBe("pending");
    for (const [n, job] of jobs.entries()) expect(await job.wait({ pollInterval: 50 })).toMatchObject({ status: "completed", result: `Hello! You said: n${n}` });
  });

  it("re-attaches to a job by its execution id", async () => {
    const job = await flow().executeAsync({ message: "later" });
    const again = flow().job(job.executionId);
    expect(again.flowId).toBeNull();
    expect(await again.wait({ pollInterval: 100 })).toMatchObject({ status: "completed" });
  });

  it("gives up waiting at its timeout", async () => {
    const job = await flow().executeAsync({ message: "too slow" });
    const attempt = settle(() => job.wait({ timeout: 200, pollInterval: 50 }));
    await expect(attempt).rejects.toBeInstanceOf(APITimeoutError);
    await expect(attempt).rejects.toThrow(`Job ${job.executionId} did not finish within 200 ms.`);
  });

  it("counts a just-submitted job the service does not know yet as pending", async () => {
    const job = await flow(lagging, "examples/demo/hello").executeAsync({ message: "x" });
    expect(await job.poll()).toEqual({ executionId: job.executionId, status: "pending" });
    await expect(settle(() => flow(lagging, "examples/demo/hello").job(job.executionId).poll())).rejects.toBeInstanceOf(FlowNotFoundError);
    expect(await job.wait({ pollInterval: 200 })).toMatchObject({ status: "completed" });
  });

  it("reports a failed run as a failed status", async () => {
    const job = await flow(server, "examples/demo/broken").executeAsync({ message: "x" });
    const done = await job.wait({ pollInterval: 50 });
    expect(done.status).toBe("failed");
    expect(done.error).toEqual(expect.any(String));
  });

  it("refuses tools, which the queue cannot run", async () => {
    await expect(settle(() => flow().executeAsync({ message: "x", tools: [] } as never))).rejects.toBeInstanceOf(ValueError);
  });
});
