import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "node:net";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "noukai/server";
import { KEY, parseSse } from "./helpers.js";

const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, heartbeatMs: 100 });
});
afterAll(async () => {
  await server.close();
});

const url = (path: string) => `${server.baseUrl}/seq/examples/demo${path}`;
const postJson = (path: string, body: unknown, init: RequestInit = {}) => fetch(url(path), { method: "POST", headers, body: JSON.stringify(body), ...init });

describe("startServer over loopback", () => {
  it("listens on 127.0.0.1 with an ephemeral port and serves the API", async () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(server.host).toBe("127.0.0.1");
    const answer = await postJson("/hello/execute", { message: "loopback" });
    expect(answer.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await answer.json()).toMatchObject({ status: "completed", result: "Hello! You said: loopback" });
    const stats = await server.stats();
    expect(stats.requests.execute).toBeGreaterThanOrEqual(1);
  });

  it("keeps concurrent requests apart", async () => {
    const messages = Array.from({ length: 40 }, (_, i) => `message ${i}`);
    const answers = await Promise.all(messages.map((message) => postJson("/two-step/execute", { message }).then((r) => r.json())));
    expect(answers.map((a) => a.result)).toEqual(messages.map((m) => `Article from [Outline of: ${m}]`));
    expect(new Set(answers.map((a) => a.executionId)).size).toBe(40);
  });

  it("answers a caller whose thread is blocked in Atomics.wait (the server has its own thread)", async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { workerData } = require("node:worker_threads");
       fetch(workerData.url, { method: "POST", headers: workerData.headers, body: '{"message":"blocked"}' })
         .then((r) => r.json())
         .then((body) => { Atomics.store(workerData.flag, 0, body.status === "completed" ? 1 : 2); Atomics.notify(workerData.flag, 0); });`,
      { eval: true, workerData: { url: url("/hello/execute"), headers, flag } },
    );
    // Freeze this thread the way the blocking client does; only a server on another thread can answer.
    const outcome = Atomics.wait(flag, 0, 0, 10_000);
    await worker.terminate();
    expect(outcome).not.toBe("timed-out");
    expect(Atomics.load(flag, 0)).toBe(1);
  });

  it("stops reading a body over 1 MiB and answers 413", async () => {
    const big = JSON.stringify({ message: "x".repeat(2 * 1024 * 1024) });
    const withLength = await postJson("/hello/execute", JSON.parse(big));
    expect(withLength.status).toBe(413);
    expect((await withLength.json()).detail.code).toBe("BODY_TOO_LARGE");
    // Chunked, no Content-Length: the server stops once past the limit.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url("/hello/execute"), { method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const chunk = "y".repeat(64 * 1024);
      req.write('{"message":"');
      for (let i = 0; i < 40; i++) req.write(chunk);
      req.end('"}');
    });
    expect(status).toBe(413);
  });

  it("keeps serving others while a client dribbles its request", async () => {
    const { port } = server;
    const slow = connect(port, "127.0.0.1");
    await new Promise((resolve) => slow.once("connect", resolve));
    slow.write(`POST /api/v1/seq/examples/demo/hello/execute HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: 100\r\n\r\n{"mess`);
    const answer = await postJson("/hello/execute", { message: "not blocked" });
    expect((await answer.json()).status).toBe("completed");
    slow.destroy();
  });

  it("leaves a run consistent when the client disconnects mid-stream", async () => {
    const controller = new AbortController();
    const response = await postJson("/slow/step", { message: "m", runRemaining: true }, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("event: step_completed")) text += new TextDecoder().decode((await reader.read()).value);
    const executionId = /"executionId":"([^"]+)"/.exec(text)?.[1] ?? "";
    controller.abort();
    let summary: any;
    do {
      await new Promise((resolve) => setTimeout(resolve, 20));
      summary = await (await fetch(url(`/slow/runs/${executionId}`), { headers })).json();
    } while (summary.status === "running");
    expect(summary.status).toBe("paused");
    const next = await postJson("/slow/step", { executionId, stepIndex: 1, runRemaining: true });
    const events = parseSse(await next.text());
    expect(events.filter((e) => e.event === "step_completed").map((e) => e.data.stepId)).toEqual(["second", "third"]);
    expect(events.at(-1)?.data.result).toBe("third: second: first: m");
    expect((await server.stats()).stored.openStreams).toBe(0);
  });
});

describe("the process", () => {
  const runNode = async (code: string) => {
    const dir = await mkdtemp(join(tmpdir(), "noukai-exit-"));
    const script = join(dir, "script.mjs");
    await writeFile(script, code);
    try {
      return await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [script], { timeout: 15_000, env: { PATH: process.env.PATH ?? "" } }, (error: Error | null, stdout) => (error ? reject(error) : resolve(stdout)));
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const entry = (file: string) => JSON.stringify(fileURLToPath(new URL(`../../dist/${file}`, import.meta.url)));

  it("exits by itself once its server is closed (ESM and CommonJS entries)", async () => {
    const call = `const s = await startServer({ port: 0 });
      const r = await fetch(s.baseUrl + "/seq/examples/demo/hello/execute", { method: "POST", headers: { authorization: "Bearer nk_x" }, body: '{"message":"bye"}' });
      console.log((await r.json()).result);
      await s.close();`;
    expect(await runNode(`import { startServer } from ${entry("server.js")}; ${call}`)).toBe("Hello! You said: bye\n");
    expect(await runNode(`import { createRequire } from "node:module"; const { startServer } = createRequire(import.meta.url)(${entry("server.cjs")}); ${call}`)).toBe(
      "Hello! You said: bye\n",
    );
  });
});

describe("faults over loopback", () => {
  it("resets connections, cuts streams, and loses answers after running", async () => {
    const faulty = await startServer({
      port: 0,
      faults: [
        { route: "poll", reset: "before", times: 1 },
        { route: "step", cutAfterEvents: 3, times: 1 },
        { route: "execute", reset: "after", times: 1 },
      ],
    });
    const base = `${faulty.baseUrl}/seq/examples/demo`;
    await expect(fetch(`${base}/hello/jobs/x`, { headers })).rejects.toThrow();
    const cut = await fetch(`${base}/two-step/step`, { method: "POST", headers, body: '{"message":"m","runRemaining":true}' });
    const reader = (cut.body as ReadableStream<Uint8Array>).getReader();
    let received = "";
    const ending = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return "clean end";
        received += new TextDecoder().decode(value);
      }
    })().catch(() => "connection cut");
    expect(ending).toBe("connection cut");
    expect(parseSse(received).map((e) => e.event)).toEqual(["run_started", "step_started", "step_input"]);
    await expect(fetch(`${base}/hello/execute`, { method: "POST", headers, body: '{"message":"lost"}' })).rejects.toThrow();
    const stats = await faulty.stats();
    expect(stats.faults).toEqual({ resetBefore: 1, cut: 1, resetAfter: 1 });
    expect(stats.executionsStarted).toBe(2);
    await faulty.close();
    await faulty.close();
    await expect(fetch(`${base}/hello/execute`, { method: "POST", headers, body: "{}" })).rejects.toThrow();
  });

  it("fails to start with the file and field of a bad flow", async () => {
    await expect(startServer({ port: 0, flows: [{ org: "o", project: "p", slug: "s", draft: { steps: [] } }] })).rejects.toThrow(
      "flows[0]: /draft/steps: must NOT have fewer than 1 items",
    );
  });
});

describe("listen", () => {
  it("serves any fetch-style app in this thread, on 127.0.0.1 by default", async () => {
    const { createServerApp, listen } = await import("noukai/server");
    const app = createServerApp();
    // A wrapper exposes only the public surface, so listen takes the general fetch path.
    const plain = { fetch: (request: Request) => app.fetch(request), stats: () => app.stats(), close: () => app.close() };
    const served = await listen(plain, { port: 0 });
    try {
      expect(served.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      const base = `${served.baseUrl}/seq/examples/demo`;
      const executed = await fetch(`${base}/hello/execute`, { method: "POST", headers, body: '{"message":"plain"}' });
      expect((await executed.json()).result).toBe("Hello! You said: plain");
      const streamed = await fetch(`${base}/two-step/step`, { method: "POST", headers, body: '{"message":"m","runRemaining":true}' });
      expect(parseSse(await streamed.text()).at(-1)?.event).toBe("flow_completed");
    } finally {
      await served.close();
    }
  });
});
