import { createServerApp, listen, type ListeningServer, type ServerApp } from "noukai/server";
import { afterEach, describe, expect, it } from "vitest";
import { connect, openMany } from "../attack/raw-socket.js";
import { AUTH, postJson, waitFor } from "./served.js";

/**
 * Rule: every store is bounded by bytes as well as by count, weighed as it
 * grows: executions (kept and in flight, sessions holding none of their
 * own), idempotency records (answers being recorded included), waiting jobs,
 * request bodies being received, and connections. Each is shown here with a
 * small budget, over real sockets.
 */
const MIB = 1024 * 1024;
const MESSAGE = "m".repeat(1_000_000);
const slow = { org: "o", project: "p", slug: "slow", draft: { steps: [{ id: "wait", latencyMs: 5_000, template: "{{message}}" }] } };

let open: { app: ServerApp; server: ListeningServer } | undefined;
async function start(options: Parameters<typeof createServerApp>[0], listenOptions: { maxConnections?: number } = {}) {
  const app = createServerApp({ flows: [slow], ...options });
  const server = await listen(app, { port: 0, graceMs: 0, ...listenOptions });
  open = { app, server };
  return { app, server };
}
afterEach(async () => {
  await open?.server.close();
  open = undefined;
});

describe("byte budgets", () => {
  it("executions: the least recently used go once their bytes pass maxRunBytes; a session keeps none of them alive", async () => {
    const { app, server } = await start({ maxRunBytes: 8 * MIB });
    const session = "0b4f6c2e-8d1a-4c3b-9e5f-7a6b5c4d3e2f";
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push((await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: MESSAGE }, { "x-session-id": session })).json.executionId);
    const stored = app.stats().stored;
    expect(stored.executionBytes).toBeLessThanOrEqual(8 * MIB);
    expect(stored.executions).toBeLessThan(16);
    const trace = (id: string) => fetch(`${server.baseUrl}/seq/examples/demo/hello/runs/${id}/trace`, { headers: AUTH }).then((r) => r.status);
    expect(await trace(ids[0] ?? "")).toBe(404);
    expect(await trace(ids[15] ?? "")).toBe(200);
    const listed = (await (await fetch(`${server.baseUrl}/seq/sessions/${session}`, { headers: AUTH })).json()) as { executions: { executionId: string }[] };
    expect(listed.executions.length).toBe(stored.executions);
    expect(listed.executions.at(-1)?.executionId).toBe(ids[15]);
  });

  it("executions in flight: a new one is refused (503 SERVER_BUSY) and a step's output fails when held runs fill maxRunBytes", async () => {
    const { app, server } = await start({ maxRunBytes: 3.5 * MIB });
    const inFlight = [0, 1, 2].map(() => postJson(server.baseUrl, "/seq/o/p/slow/execute", { message: MESSAGE, blockOverrides: { wait: { latencyMs: 300 } } }));
    await waitFor(async () => app.stats().stored.executions, (count) => count === 3);
    const refused = await postJson(server.baseUrl, "/seq/o/p/slow/execute", { message: MESSAGE });
    expect(refused.status).toBe(503);
    expect(refused.json.detail.code).toBe("SERVER_BUSY");
    expect(refused.headers.get("retry-after")).toBe("1");
    // The first to output finds no room while all three are held; as it ends, its room goes to the others.
    const results = (await Promise.all(inFlight)).map((answer) => `${answer.json.status as string}${String(answer.json.result).includes("maxRunBytes") ? " maxRunBytes" : ""}`);
    expect(results).toContain("failed maxRunBytes");
    expect(app.stats().stored.executionBytes).toBeLessThanOrEqual(3.5 * MIB);
  });

  it("idempotency records: kept within maxIdempotencyBytes, streams being recorded included; a repeat never runs twice", async () => {
    const { app, server } = await start({ maxIdempotencyBytes: 3 * MIB });
    for (let i = 0; i < 8; i++) await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: MESSAGE }, { "idempotency-key": `k${i}` });
    expect(app.stats().stored.idempotencyBytes).toBeLessThanOrEqual(3 * MIB);
    // A key is kept as a hash of its scope: 500 keys of 15 KB each weigh what 500 short ones do.
    const before = app.stats().stored.idempotencyBytes;
    for (let i = 0; i < 500; i++) await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "m" }, { "idempotency-key": `${i}-${"k".repeat(15_000)}` });
    expect(app.stats().stored.idempotencyBytes - before).toBeLessThan(500 * 1024);
    const body = { message: MESSAGE, runRemaining: true, blockOverrides: { outline: { template: "{{message}}{{message}}" } } };
    const first = await fetch(`${server.baseUrl}/seq/examples/demo/two-step/step`, { method: "POST", headers: { ...AUTH, "idempotency-key": "stream" }, body: JSON.stringify(body) });
    expect((await first.text()).length).toBeGreaterThan(3 * MIB);
    const started = app.stats().executionsStarted;
    const repeat = await postJson(server.baseUrl, "/seq/examples/demo/two-step/step", body, { "idempotency-key": "stream" });
    expect(repeat.status).toBe(409);
    expect(repeat.json.detail.code).toBe("IDEMPOTENT_REPLAY_UNAVAILABLE");
    expect(app.stats().executionsStarted).toBe(started);
    expect(app.stats().stored.idempotencyBytes).toBeLessThanOrEqual(3 * MIB);
  });

  it("waiting jobs: past maxQueuedJobBytes, /jobs answers 503 QUEUE_FULL", async () => {
    const { app, server } = await start({ maxQueuedJobBytes: 2.5 * MIB, jobConcurrency: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postJson(server.baseUrl, "/seq/o/p/slow/jobs", { message: MESSAGE })).status);
    // One runs, two wait (about 2 MB), the next ones find the queue full.
    expect(statuses).toEqual([202, 202, 202, 503, 503]);
    expect(app.stats().stored.queuedJobBytes).toBeLessThanOrEqual(2.5 * MIB);
  });

  it("request bodies being received: past maxBodyBytesInFlight, a request gets 503 SERVER_BUSY, and the bytes come back", async () => {
    const { app, server } = await start({ maxBodyBytesInFlight: 2 * MIB });
    const head = (length: number) => `POST /api/v1/seq/examples/demo/hello/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
    const senders = await openMany(server.port, 3);
    // Three bodies of 1 MB, each stopped 100 KB short: 2.7 MB would be held, past the budget.
    for (const socket of senders) socket.write(head(1_000_012) + `{"message":"${"s".repeat(900_000)}`);
    const answers = senders.map((socket) => new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString("latin1").split("\r\n")[0] ?? ""))));
    const refused = await Promise.race([Promise.any(answers), new Promise<string>((resolve) => setTimeout(() => resolve("no answer"), 5_000))]);
    expect(refused).toBe("HTTP/1.1 503 Service Unavailable");
    expect(app.stats().stored.bodyBytesInFlight).toBeLessThanOrEqual(2 * MIB);
    for (const socket of senders) socket.destroy();
    const after = await waitFor(async () => app.stats().stored.bodyBytesInFlight, (bytes) => bytes === 0);
    expect(after).toBe(0);
    expect((await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "after" })).status).toBe(200);
  });

  it("connections: past maxConnections the oldest idle one (else one still sending its request) makes room; when all are busy, the newcomer is refused", async () => {
    const { server } = await start({}, { maxConnections: 20 });
    const idle = await openMany(server.port, 20);
    expect((await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "served" })).status).toBe(200);
    for (const socket of idle) socket.destroy();
    const slowBodies = await openMany(server.port, 20);
    for (const socket of slowBodies) {
      socket.write(`POST /api/v1/seq/examples/demo/hello/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"message":"`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "served beside slow bodies" })).status).toBe(200);
    for (const socket of slowBodies) socket.destroy();
    const busy = await openMany(server.port, 20);
    const body = JSON.stringify({ message: "busy" });
    for (const socket of busy) {
      socket.write(`POST /api/v1/seq/o/p/slow/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const newcomer = await connect(server.port);
    const closed = await new Promise<boolean>((resolve) => {
      newcomer.once("close", () => resolve(true));
      setTimeout(() => resolve(false), 2_000);
    });
    expect(closed).toBe(true);
    for (const socket of busy) socket.destroy();
  });
});
