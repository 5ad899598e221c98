import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsyncNoukai, currentSessionId, replayScope } from "noukai";
import { startServer } from "noukai/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { refusedDev, startDev, type DevProcess } from "../helpers/dev-process.js";

const KEY = "nk_data_dir_test";
let dir: string;
const running: DevProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "noukai-data-"));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop("SIGKILL")));
  await rm(dir, { recursive: true, force: true });
});

async function dev(args: readonly string[] = []): Promise<DevProcess> {
  const server = await startDev(["--data", dir, ...args]);
  running.push(server);
  return server;
}

async function call(server: DevProcess, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: await response.json() };
}

async function pollUntil(server: DevProcess, path: string, done: (status: string) => boolean): Promise<any> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const { json } = await call(server, path);
    if (done(json.status)) return json;
  }
  throw new Error(`${path} never reached the status wanted`);
}

describe("noukai dev --data DIR", () => {
  it("keeps a captured session, a finished job and an idempotent answer across a killed server", async () => {
    const first = await dev();
    const session = randomUUID();
    const repeat = { body: { message: "once" }, headers: { "x-session-id": session, "idempotency-key": "restart-1" } };
    const executed = await call(first, "/seq/examples/demo/hello/execute", repeat);
    expect(executed.json).toMatchObject({ status: "completed", result: "Hello! You said: once" });
    const submitted = await call(first, "/seq/examples/demo/hello/jobs", { body: { message: "queued" } });
    const job = await pollUntil(first, `/seq/examples/demo/hello/jobs/${submitted.json.executionId}`, (status) => status === "completed");
    const captured = await call(first, `/seq/sessions/${session}`);
    expect(captured.json.executions).toHaveLength(1);

    // SIGKILL: no chance to write anything on the way out, and a stale lock left behind.
    await first.stop("SIGKILL");
    const second = await dev();

    // The session reads back as it was captured.
    expect(await call(second, `/seq/sessions/${session}`)).toEqual(captured);
    // A client re-attaches to the finished job by its id.
    const reattached = new AsyncNoukai({ apiKey: KEY, baseUrl: second.baseUrl }).flow("examples/demo/hello").job(submitted.json.executionId);
    expect(await reattached.wait({ pollInterval: 50 })).toMatchObject({ status: "completed", result: job.result });
    // The repeat gets the first answer: same execution, and the session still lists that one execution only.
    const repeated = await call(second, "/seq/examples/demo/hello/execute", repeat);
    expect(repeated).toEqual(executed);
    expect((await call(second, `/seq/sessions/${session}`)).json.executions).toHaveLength(1);
    // The same key with another body is still a conflict: the record itself came back, not just its answer.
    expect((await call(second, "/seq/examples/demo/hello/execute", { ...repeat, body: { message: "other" } })).status).toBe(422);
  });

  it("replays a session captured before the server was killed, from the restarted server, with no call made", async () => {
    const first = await dev();
    const calls = async (client: AsyncNoukai) => {
      const hello = await client.flow("examples/demo/hello").execute({ message: "captured" });
      if (hello.status !== "completed") throw new Error(`hello ended ${hello.status}`);
      const steps = [];
      for await (const step of client.flow("examples/demo/two-step").steps({ message: "x" })) steps.push(step.output);
      return { hello: hello.result, steps };
    };
    const captured = await replayScope(async () => ({ result: await calls(new AsyncNoukai({ apiKey: KEY, baseUrl: first.baseUrl })), sessionId: currentSessionId() }), {});
    await first.stop("SIGKILL");

    const second = await dev();
    const before = process.env["NOUKAI_REPLAY_ENABLED"];
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    try {
      // The calls go nowhere (nothing listens on port 1): only the session fetch reaches the restarted server.
      const offline = new AsyncNoukai({ apiKey: KEY, baseUrl: "http://127.0.0.1:1/api/v1", maxRetries: 0 });
      const fetcher = new AsyncNoukai({ apiKey: KEY, baseUrl: second.baseUrl });
      const replayed = await replayScope(() => calls(offline), { replaySessionId: captured.sessionId ?? "", client: fetcher });
      expect(replayed).toEqual(captured.result);
      expect(replayed.hello).toBe("Hello! You said: captured");
    } finally {
      if (before === undefined) delete process.env["NOUKAI_REPLAY_ENABLED"];
      else process.env["NOUKAI_REPLAY_ENABLED"] = before;
    }
  });

  it("charges a repeated idempotent request nothing after a restart, and carries on the credits left", async () => {
    // examples/demo/hello with "hi" costs about $0.00001: $0.00002 pays for three calls (the last one overdraws), the fourth gets 402.
    const credits = ["--credits", "examples=0.00002"];
    const first = await dev(credits);
    const once = { body: { message: "hi" }, headers: { "idempotency-key": "paid-once" } };
    const paid = await call(first, "/seq/examples/demo/hello/execute", once);
    expect(paid.status).toBe(200);
    await first.stop("SIGKILL");

    const second = await dev(credits);
    expect(await call(second, "/seq/examples/demo/hello/execute", once)).toEqual(paid);
    // Had the repeat run (and been charged) again, the second of these would already be refused.
    expect((await call(second, "/seq/examples/demo/hello/execute", { body: { message: "hi" } })).status).toBe(200);
    expect((await call(second, "/seq/examples/demo/hello/execute", { body: { message: "hi" } })).status).toBe(200);
    const refused = await call(second, "/seq/examples/demo/hello/execute", { body: { message: "hi" } });
    expect(refused).toMatchObject({ status: 402, json: { detail: { code: "INSUFFICIENT_CREDITS" } } });
    await second.stop("SIGTERM");

    // A new amount is a new budget.
    const third = await dev(["--credits", "examples=1"]);
    expect((await call(third, "/seq/examples/demo/hello/execute", { body: { message: "hi" } })).status).toBe(200);
  });

  it("reports a job that was running or queued when the server stopped as failed with SERVER_RESTARTED, and never runs it again", async () => {
    const flows = join(dir, "flows");
    await mkdir(flows);
    await writeFile(join(flows, "long.json"), JSON.stringify({ org: "t", project: "p", slug: "long", draft: { steps: [{ id: "wait", latencyMs: 60_000, template: "done" }] } }));
    // One worker: the second job waits behind the first. --grace 0: the stop does not wait for the running one.
    const first = await dev(["--flows", flows, "--job-workers", "1", "--job-latency", "0.05", "--grace", "0"]);
    const running = (await call(first, "/seq/t/p/long/jobs", { body: { message: "a" } })).json.executionId as string;
    const queued = (await call(first, "/seq/t/p/long/jobs", { body: { message: "b" } })).json.executionId as string;
    await pollUntil(first, `/seq/t/p/long/jobs/${running}`, (status) => status === "running");
    expect((await call(first, `/seq/t/p/long/jobs/${queued}`)).json.status).toBe("pending");
    // A polite stop (SIGTERM) cancels both in memory; what the directory keeps is the state before the stop.
    await first.stop("SIGTERM");

    const second = await dev(["--flows", flows, "--job-workers", "1", "--job-latency", "0.05"]);
    const wasRunning = await call(second, `/seq/t/p/long/jobs/${running}`);
    expect(wasRunning.json).toMatchObject({ status: "failed", result: null, error: expect.stringMatching(/^SERVER_RESTARTED: .*job was running.*not run again/) });
    const wasQueued = await call(second, `/seq/t/p/long/jobs/${queued}`);
    expect(wasQueued.json).toMatchObject({ status: "failed", error: expect.stringMatching(/^SERVER_RESTARTED: .*waiting in the queue/) });
    // Nothing picks them up later, and the trace shows the step it was in as failed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(second, `/seq/t/p/long/jobs/${running}`)).json.status).toBe("failed");
    const trace = await call(second, `/seq/t/p/long/runs/${running}/trace`);
    expect(trace.json).toMatchObject({ flowRun: { status: "failed", triggerType: "job" }, steps: [{ stepId: "wait", status: "failed" }] });
    expect((await call(second, "/seq/t/p/long/jobs", { body: { message: "new" } })).status).toBe(202);
  });

  it("lets one server at a time use a directory", async () => {
    await dev();
    const refused = await refusedDev(["--data", dir]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/the data directory .* is in use by another server/);
  });
});

describe("startServer({ dataDir })", () => {
  it("keeps the executions within the same count budget as memory", async () => {
    const kept = await startServer({ port: 0, dataDir: dir, maxExecutions: 3 });
    const ids: string[] = [];
    try {
      const client = new AsyncNoukai({ apiKey: KEY, baseUrl: kept.baseUrl });
      for (let i = 0; i < 5; i++) ids.push((await client.flow("examples/demo/hello").execute({ message: `n${i}` })).executionId ?? "");
    } finally {
      await kept.close();
    }
    // Restarted with room for more: only the three the first server kept come back, so the directory held no more.
    const restarted = await startServer({ port: 0, dataDir: dir, maxExecutions: 100 });
    try {
      const found = await Promise.all(
        ids.map(async (id) => (await fetch(`${restarted.baseUrl}/seq/examples/demo/hello/runs/${id}`, { headers: { authorization: `Bearer ${KEY}` } })).status),
      );
      expect(found).toEqual([404, 404, 200, 200, 200]);
      expect((await restarted.stats()).stored.executions).toBe(3);
    } finally {
      await restarted.close();
    }
  });

  it("keeps the executions within the same byte budget as memory", async () => {
    const kept = await startServer({ port: 0, dataDir: dir, maxRunBytes: 64 * 1024 });
    try {
      const client = new AsyncNoukai({ apiKey: KEY, baseUrl: kept.baseUrl });
      for (let i = 0; i < 12; i++) await client.flow("examples/demo/hello").execute({ message: "x".repeat(8 * 1024) });
      expect((await kept.stats()).stored.executionBytes).toBeLessThanOrEqual(64 * 1024);
    } finally {
      await kept.close();
    }
    const restarted = await startServer({ port: 0, dataDir: dir });
    try {
      const { stored } = await restarted.stats();
      // Some were pushed out by bytes, and none of those came back.
      expect(stored.executions).toBeGreaterThan(0);
      expect(stored.executions).toBeLessThan(12);
      expect(stored.executionBytes).toBeLessThanOrEqual(64 * 1024);
    } finally {
      await restarted.close();
    }
  });

  it("resumes an execution that was waiting for tool results before the restart", async () => {
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }];
    const post = (baseUrl: string, body: unknown) =>
      fetch(`${baseUrl}/seq/examples/demo/weather/execute`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) }).then(async (r) => (await r.json()));
    const before = await startServer({ port: 0, dataDir: dir });
    let paused: any;
    try {
      paused = await post(before.baseUrl, { message: "What is the weather in Paris?", tools });
      expect(paused.status).toBe("tool_calls_required");
    } finally {
      await before.close();
    }
    const after = await startServer({ port: 0, dataDir: dir });
    try {
      const resumed = await post(after.baseUrl, {
        message: null,
        tools,
        executionId: paused.executionId,
        pausedAtStep: paused.pausedAtStep,
        iterationsUsed: paused.iterationsUsed,
        toolCallMessages: [...paused.toolCallMessages, { role: "tool", tool_call_id: "call_1", content: "sunny" }],
        accumulatedOutputs: paused.accumulatedOutputs,
      });
      expect(resumed).toMatchObject({ status: "completed", executionId: paused.executionId, result: "Weather in Paris: sunny" });
    } finally {
      await after.close();
    }
  });

  it("keeps the traceparent a run was created with, for its trace after a restart", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const before = await startServer({ port: 0, dataDir: dir });
    let id: string;
    try {
      const answer = await fetch(`${before.baseUrl}/seq/examples/demo/hello/execute`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, traceparent }, body: '{"message":"traced"}' });
      id = ((await answer.json()) as { executionId: string }).executionId;
    } finally {
      await before.close();
    }
    const after = await startServer({ port: 0, dataDir: dir });
    try {
      const trace = await fetch(`${after.baseUrl}/seq/examples/demo/hello/runs/${id}/trace`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(((await trace.json()) as { flowRun: { traceparent?: string } }).flowRun.traceparent).toBe(traceparent);
    } finally {
      await after.close();
    }
  });

  it("keeps nothing across a restart without a data directory", async () => {
    const memory = await startServer({ port: 0 });
    let id: string | undefined;
    try {
      id = (await new AsyncNoukai({ apiKey: KEY, baseUrl: memory.baseUrl }).flow("examples/demo/hello").execute({ message: "gone" })).executionId;
    } finally {
      await memory.close();
    }
    const again = await startServer({ port: 0 });
    try {
      expect((await fetch(`${again.baseUrl}/seq/examples/demo/hello/runs/${id ?? ""}`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(404);
    } finally {
      await again.close();
    }
  });
});
