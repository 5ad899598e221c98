import { createServerApp, listen, type ListeningServer } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../attack/raw-socket.js";
import { HostedServer } from "../support/hosted-server.js";
import { AUTH, postJson, waitFor } from "./served.js";

/**
 * Rule: no small request makes a big answer pile up. A read answer (session
 * listing, trace) holds at most 8 MiB of snapshots, the rest marked
 * truncated; a live trace replays one frame at a time at its reader's pace
 * and drops a reader 4 MiB behind; answers waiting for readers that do not
 * read are bounded (maxAnswerBytesWaiting: new requests get 503 SERVER_BUSY)
 * and a reader that takes nothing for readerStallMs is dropped.
 */
const MIB = 1024 * 1024;
const MESSAGE = "r".repeat(1_000_000);
const SESSION = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

function unreadGet(port: number, path: string): Promise<() => void> {
  return connect(port).then(
    (socket) =>
      new Promise((resolve) => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\n\r\n`);
        socket.once("data", () => {
          socket.pause();
          resolve(() => socket.destroy());
        });
        socket.once("close", () => resolve(() => undefined));
      }),
  );
}

describe("read answers", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await listen(createServerApp({ flows: [{ org: "o", project: "p", slug: "retry", draft: { steps: [{ id: "flaky", retries: 40, failAttempts: 30, template: "{{message}}" }] } }] }), { port: 0 });
    for (let i = 0; i < 12; i++) await postJson(server.baseUrl, "/seq/examples/demo/two-step/execute", { message: MESSAGE }, { "x-session-id": SESSION });
  });
  afterAll(() => server.close());

  it("lists a session within 8 MiB of snapshots, marking what it left out", async () => {
    const answer = await fetch(`${server.baseUrl}/seq/sessions/${SESSION}`, { headers: AUTH });
    const text = await answer.text();
    expect(text.length).toBeLessThan(9 * MIB);
    const listing = JSON.parse(text) as { executions: { snapshotsAvailable: boolean; steps: { truncated: boolean; outputSnapshot: unknown }[] }[] };
    expect(listing.executions).toHaveLength(12);
    expect(listing.executions[0]?.snapshotsAvailable).toBe(true);
    expect(listing.executions.at(-1)?.snapshotsAvailable).toBe(false);
    expect(listing.executions.at(-1)?.steps.every((step) => step.truncated && step.outputSnapshot === null)).toBe(true);
  });

  it("keeps a trace of a step tried 31 times with a 1 MB input within the same room", async () => {
    const run = await postJson(server.baseUrl, "/seq/o/p/retry/execute", { message: MESSAGE, trace: true });
    const all = await fetch(`${server.baseUrl}/seq/o/p/retry/runs/${run.json.executionId as string}/steps/flaky/trace?attempt=all`, { headers: AUTH });
    const text = await all.text();
    expect(text.length).toBeLessThan(9 * MIB);
    const attempts = (JSON.parse(text) as { attempts: { attempt: number; truncated: boolean }[] }).attempts;
    expect(attempts).toHaveLength(31);
    expect(attempts.filter((attempt) => attempt.truncated).length).toBeGreaterThan(20);
  });
});

describe("answers waiting for readers", () => {
  it("refuses new requests (503 SERVER_BUSY) while unread answers pass maxAnswerBytesWaiting, and drops readers that stall", async () => {
    const app = createServerApp();
    const server = await listen(app, { port: 0, maxAnswerBytesWaiting: 12 * MIB, readerStallMs: 1_500, graceMs: 0 });
    try {
      for (let i = 0; i < 4; i++) await postJson(server.baseUrl, "/seq/examples/demo/two-step/execute", { message: MESSAGE }, { "x-session-id": SESSION });
      const readers: (() => void)[] = [];
      for (let i = 0; i < 3; i++) readers.push(await unreadGet(server.port, `/api/v1/seq/sessions/${SESSION}`));
      const refused = await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "while they do not read" });
      expect(refused.status).toBe(503);
      expect(refused.json.detail.code).toBe("SERVER_BUSY");
      // The readers that take nothing are dropped after readerStallMs; then the server answers again.
      const served = await waitFor(() => postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "later" }).then((a) => a.status), (status) => status === 200, 8_000);
      expect(served).toBe(200);
      readers.forEach((drop) => drop());
    } finally {
      await server.close();
    }
  });

  it("does not queue the answers of pipelined requests that are never read (child process)", async () => {
    const server = await HostedServer.start({}, { heapLimitMB: 256 });
    try {
      const request = `GET /api/v1/seq/examples/demo/hello/runs/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\n\r\n`;
      const sockets = await Promise.all(Array.from({ length: 20 }, () => connect(server.port)));
      for (const socket of sockets) {
        socket.pause();
        socket.write(request.repeat(20_000));
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await server.read()).memory.heapUsedMB).toBeLessThan(100);
      sockets.forEach((socket) => socket.destroy());
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("survives live traces that never read, with its heap capped (child process)", async () => {
    const server = await HostedServer.start({}, { heapLimitMB: 256 });
    try {
      const run = await postJson(server.baseUrl, "/seq/examples/demo/two-step/execute", { message: MESSAGE, blockOverrides: { outline: { template: "{{message}}{{message}}" } } });
      const readers: (() => void)[] = [];
      for (let i = 0; i < 120; i++) readers.push(await unreadGet(server.port, `/api/v1/seq/examples/demo/two-step/runs/${run.json.executionId as string}/trace/stream`));
      const reading = await server.read();
      expect(reading.memory.heapUsedMB).toBeLessThan(200);
      // Answered, by a run or by a refusal while the unread frames pass maxAnswerBytesWaiting.
      expect([200, 503]).toContain((await postJson(server.baseUrl, "/seq/examples/demo/hello/execute", { message: "still here" })).status);
      readers.forEach((drop) => drop());
    } finally {
      await server.stop();
    }
  }, 60_000);
});
