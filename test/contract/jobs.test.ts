import { startServer, type RunningServer } from "noukai/server";
import { APITimeoutError, FlowNotFoundError, ValueError } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";

let server: RunningServer;
let lagging: RunningServer;
beforeAll(async () => {
  [server, lagging] = await Promise.all([startServer({ port: 0 }), startServer({ port: 0, jobVisibilityDelayMs: 1_000 })]);
});
afterAll(async () => {
  await Promise.all([server.close(), lagging.close()]);
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
