import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, sendRaw } from "../attack/raw-socket.js";
import { HostedServer } from "../support/hosted-server.js";
import { AUTH, waitFor } from "./served.js";

/**
 * Rule: a binding never crashes its process and never waits for good. Both
 * of listen()'s bindings (the server's own, and the general one for any
 * `{ fetch, close }` app) run in a child process that would die of an
 * unhandled rejection, under a cut stream, clients that leave while the
 * server waits for them to read, bodies cut short and Host headers that make
 * no URL.
 */
const bigSteps = { org: "o", project: "p", slug: "big", draft: { steps: Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, template: "{{message}}" })) } };

describe.each([
  ["the server's own binding", false],
  ["the general binding (a wrapped app)", true],
])("%s", (_name, wrapped) => {
  let server: HostedServer;
  beforeAll(async () => {
    server = await HostedServer.start({ flows: [bigSteps], faults: [{ route: "step", cutAfterEvents: 2, times: 1 }] }, { wrapped });
  });
  afterAll(() => server.stop());

  it("survives a stream cut by a fault: the client sees the cut, the server keeps serving", async () => {
    const cut = await fetch(`${server.baseUrl}/seq/examples/demo/slow/step`, { method: "POST", headers: AUTH, body: '{"message":"m","runRemaining":true}' });
    await expect(cut.text()).rejects.toThrow();
    const next = await fetch(`${server.baseUrl}/seq/examples/demo/hello/execute`, { method: "POST", headers: AUTH, body: '{"message":"still here"}' });
    expect(((await next.json()) as { result: string }).result).toBe("Hello! You said: still here");
    expect((await server.read()).warnings).toEqual([]);
  });

  it("ends a stream whose client stops reading and then leaves", async () => {
    const body = JSON.stringify({ message: "x".repeat(256 * 1024), runRemaining: true });
    const socket = await connect(server.port);
    socket.write(`POST /api/v1/seq/o/p/big/step HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    // Read the head, then stop reading while the server writes megabytes of steps.
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.pause();
    await waitFor(() => server.read(), (reading) => reading.stats.stored.openStreams === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    const after = await waitFor(() => server.read(), (reading) => reading.stats.stored.openStreams === 0);
    expect(after.stats.stored.openStreams).toBe(0);
    expect(after.warnings).toEqual([]);
  });

  it("answers what a client sends when it is not a whole request: a body cut short, a Host that is no host", async () => {
    const socket = await connect(server.port);
    socket.end(`POST /api/v1/seq/examples/demo/hello/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\nContent-Length: 1000\r\n\r\n{"message":`);
    expect(await sendRaw(server.port, `GET /api/v1/seq/sessions/x HTTP/1.1\r\nHost: a b\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(await sendRaw(server.port, `GET /api/v1/seq/sessions/x HTTP/1.1\r\nHost: evil.example/x?\r\n\r\n`)).toMatch(/^HTTP\/1\.1 4\d\d /);
    const reading = await server.read();
    expect(reading.warnings).toEqual([]);
    const next = await fetch(`${server.baseUrl}/seq/examples/demo/hello/execute`, { method: "POST", headers: AUTH, body: '{"message":"ok"}' });
    expect(next.status).toBe(200);
  });
});
