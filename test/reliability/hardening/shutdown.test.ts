import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "noukai/server";
import { describe, expect, it } from "vitest";
import { connect } from "../attack/raw-socket.js";
import { HostedServer } from "../support/hosted-server.js";
import { AUTH, sseEvents, waitFor } from "./served.js";

/**
 * Rule: a server that stops gives every call in flight its final answer
 * before it closes a connection. Calls get a grace period to finish; what
 * remains is interrupted with its proper last word (503 SERVER_CLOSING on
 * /execute, a terminal step_error SERVER_CLOSING on /step, the end of a live
 * trace); new requests on open connections are refused with 503. This holds
 * for listen().close(), startServer().close() and Ctrl+C of noukai dev; a
 * second Ctrl+C stops at once.
 */
const flows = [
  { org: "o", project: "p", slug: "long", draft: { steps: [{ id: "first" }, { id: "wait", latencyMs: 60_000 }, { id: "last" }] } },
  { org: "o", project: "p", slug: "quick", draft: { steps: [{ id: "a", latencyMs: 400 }, { id: "b" }] } },
];

interface Ending {
  status: number;
  body: string;
  /** How the body ended: "clean" or the error that cut it. */
  end: string;
}

/** A call to `o/p/PATH` (or to `/seq/PATH` when PATH starts with a slash), read to its end. */
async function call(baseUrl: string, path: string, body?: unknown): Promise<Ending> {
  const response = await fetch(`${baseUrl}/seq${path.startsWith("/") ? path : `/o/p/${path}`}`, body === undefined ? { headers: AUTH } : { method: "POST", headers: AUTH, body: JSON.stringify(body) });
  let text = "";
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    return { status: response.status, body: text, end: "clean" };
  } catch (error) {
    return { status: response.status, body: text, end: String((error as Error).cause ?? error) };
  }
}

const lastEvent = (ending: Ending) => sseEvents(ending.body).at(-1);

describe("shutting down with calls in flight", () => {
  it("interrupts what is left after the grace period, each call with its final answer (listen().close(), in a child process)", async () => {
    const server = await HostedServer.start({ flows, graceMs: 300 });
    const job = (await (await fetch(`${server.baseUrl}/seq/o/p/long/jobs`, { method: "POST", headers: AUTH, body: '{"message":"job"}' })).json()) as { executionId: string };
    const calls = {
      execute: call(server.baseUrl, "long/execute", { message: "e" }),
      step: call(server.baseUrl, "long/step", { message: "s", runRemaining: true }),
      trace: call(server.baseUrl, `long/runs/${job.executionId}/trace/stream`),
    };
    await waitFor(() => server.read(), (reading) => reading.stats.stored.openStreams === 2 && reading.stats.requests.execute === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await server.closeAfter(0);
    expect(Date.now() - started).toBeLessThan(3_000);
    const execute = await calls.execute;
    expect(execute).toMatchObject({ status: 503, end: "clean" });
    expect(JSON.parse(execute.body)).toMatchObject({ detail: { code: "SERVER_CLOSING" } });
    const step = await calls.step;
    expect(step.end).toBe("clean");
    expect(lastEvent(step)).toMatchObject({ event: "step_error", data: { stepId: "wait", error: { code: "SERVER_CLOSING" } } });
    const trace = await calls.trace;
    expect(trace.end).toBe("clean");
    expect(sseEvents(trace.body).map((event) => event.event)).toContain("step_started");
    await server.stop();
  }, 30_000);

  it("lets calls finish within the grace period and refuses new requests on open connections with 503", async () => {
    const server = await HostedServer.start({ flows, graceMs: 5_000 });
    const kept = await connect(server.port);
    const calls = [call(server.baseUrl, "quick/execute", { message: "e" }), call(server.baseUrl, "quick/step", { message: "s", runRemaining: true })];
    await waitFor(() => server.read(), (reading) => reading.stats.stored.openStreams === 1 && reading.stats.requests.execute === 1);
    const closed = server.closeAfter(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const refusal = new Promise<string>((resolve) => {
      let answer = "";
      kept.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
      kept.on("close", () => resolve(answer));
    });
    kept.write(`GET /api/v1/seq/o/p/quick/runs/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\n\r\n`);
    const [execute, step] = await Promise.all(calls);
    expect(JSON.parse(execute?.body ?? "")).toMatchObject({ status: "completed" });
    expect(lastEvent(step as Ending)).toMatchObject({ event: "flow_completed" });
    const refused = await refusal;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toContain("SERVER_CLOSING");
    expect(refused.toLowerCase()).toContain("connection: close");
    await closed;
    await server.stop();
  }, 30_000);

  it("does not wait for good on a client that never reads its final answer", async () => {
    const big = { org: "o", project: "p", slug: "big", draft: { steps: Array.from({ length: 30 }, (_, i) => ({ id: `s${i}` })).concat([{ id: "wait", latencyMs: 60_000 } as { id: string }]) } };
    const server = await HostedServer.start({ flows: [big], graceMs: 200 });
    const socket = await connect(server.port);
    const body = JSON.stringify({ message: "x".repeat(500_000), runRemaining: true });
    socket.write(`POST /api/v1/seq/o/p/big/step HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await new Promise<void>((resolve) => socket.once("data", () => resolve()));
    socket.pause();
    const started = Date.now();
    await server.closeAfter(0);
    expect(Date.now() - started).toBeLessThan(200 + 2_000 + 2_000);
    socket.destroy();
    await server.stop();
  }, 30_000);

  it("does the same for startServer().close()", async () => {
    const server = await startServer({ port: 0, flows, graceMs: 200 });
    const execute = call(server.baseUrl, "long/execute", { message: "e" });
    const step = call(server.baseUrl, "long/step", { message: "s", runRemaining: true });
    await waitFor(() => server.stats(), (stats) => stats.stored.openStreams === 1 && stats.requests.execute === 1);
    await server.close();
    expect(JSON.parse((await execute).body)).toMatchObject({ detail: { code: "SERVER_CLOSING" } });
    expect(lastEvent(await step)).toMatchObject({ event: "step_error", data: { error: { code: "SERVER_CLOSING" } } });
  });
});

describe("Ctrl+C of noukai dev", () => {
  const CLI = fileURLToPath(new URL("../../../dist/cli.js", import.meta.url));

  async function startDev(args: string[]): Promise<{ child: ChildProcess; baseUrl: string; exited: Promise<{ code: number | null; signal: string | null }> }> {
    const child = spawn(process.execPath, [CLI, "dev", "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    let out = "";
    const baseUrl = await new Promise<string>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const url = /listening on (\S+)/.exec(out)?.[1];
        if (url && out.includes("Press Ctrl+C")) resolve(url);
      });
      child.once("exit", () => reject(new Error(`noukai dev exited: ${out}`)));
    });
    return { child, baseUrl, exited };
  }

  it("gives calls in flight their final answers on both loopback addresses, then exits 0", async () => {
    const dir = await mkdtemp(join(tmpdir(), "noukai-dev-"));
    await writeFile(join(dir, "long.json"), JSON.stringify(flows[0]));
    try {
      const dev = await startDev(["--flows", dir, "--grace", "0.3"]);
      expect(dev.baseUrl).toMatch(/^http:\/\/localhost:\d+\/api\/v1$/);
      const v4 = dev.baseUrl.replace("localhost", "127.0.0.1");
      const v6 = dev.baseUrl.replace("localhost", "[::1]");
      const reachable6 = await fetch(`${v6}/seq/o/p/long/runs/x`, { headers: AUTH }).then(() => true, () => false);
      const execute = call(v4, "long/execute", { message: "e" });
      const step = call(reachable6 ? v6 : v4, "long/step", { message: "s", runRemaining: true });
      await new Promise((resolve) => setTimeout(resolve, 300));
      dev.child.kill("SIGINT");
      expect(JSON.parse((await execute).body)).toMatchObject({ detail: { code: "SERVER_CLOSING" } });
      const stepEnding = await step;
      expect(stepEnding.end).toBe("clean");
      expect(lastEvent(stepEnding)).toMatchObject({ event: "step_error", data: { error: { code: "SERVER_CLOSING" } } });
      expect(await dev.exited).toEqual({ code: 0, signal: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("stops at once on a second Ctrl+C", async () => {
    const dev = await startDev(["--grace", "60"]);
    const pending = call(dev.baseUrl.replace("localhost", "127.0.0.1"), "/examples/demo/slow/execute", { message: "x" }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    dev.child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    dev.child.kill("SIGINT");
    const exit = await dev.exited;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(exit.signal ?? exit.code).toBeTruthy();
    await pending;
  }, 30_000);
});
