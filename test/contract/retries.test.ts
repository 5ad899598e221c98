import { startServer, type FaultRule, type RunningServer } from "noukai/server";
import { APIConnectionError, APITimeoutError, APIUserAbortError, FlowExecutionError, type LogEvent, RateLimitError } from "noukai";
import { afterAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serverWith(...faults: FaultRule[]): Promise<RunningServer> {
  const server = await startServer({ port: 0, faults });
  servers.push(server);
  return server;
}

describe.each(CLIENT_KINDS)("%s retries and timeouts", (kind) => {
  const clientOf = (server: RunningServer, extra = {}) => {
    const log: LogEvent[] = [];
    const client = makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, onLog: (e) => log.push(e), ...extra });
    return { flow: client.flow("examples/demo/hello"), log, client };
  };

  it("retries a 503 once and runs the flow once", async () => {
    const server = await serverWith({ route: "execute", times: 1, status: 503 });
    const { flow, log } = clientOf(server);
    const result = await flow.execute({ message: "x" });
    expect(result.status).toBe("completed");
    expect(log.map((e) => `${e.phase}:${e.statusCode ?? ""}`)).toEqual(["request:", "response:503", "retry:503", "request:", "response:200"]);
    expect((await server.stats()).executionsStarted).toBe(1);
  });

  it("never runs a flow twice when the answer is lost and the request retried", async () => {
    const server = await serverWith({ route: "execute", times: 1, reset: "after" });
    const { flow, log } = clientOf(server);
    const result = await flow.execute({ message: "once" });
    expect(result.status).toBe("completed");
    expect(log.find((e) => e.phase === "retry")?.error).toMatch(/failed before any response/);
    const stats = await server.stats();
    expect(stats.executionsStarted).toBe(1);
    expect(stats.idempotentReplays).toBe(1);
  });

  it("waits as long as Retry-After says, in seconds or as a date", async () => {
    const seconds = await serverWith({ route: "execute", times: 1, status: 429, retryAfter: 1 });
    const first = clientOf(seconds);
    await first.flow.execute({ message: "x" });
    expect(first.log.find((e) => e.phase === "retry")?.delayMs).toBe(1000);
    const date = await serverWith({ route: "execute", times: 1, status: 503, retryAfter: "http-date+2" });
    const second = clientOf(date);
    await second.flow.execute({ message: "x" });
    const delay = second.log.find((e) => e.phase === "retry")?.delayMs ?? 0;
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(2000);
  });

  it("reports the last failure, readably, when retries run out", async () => {
    const server = await serverWith({ route: "execute", times: 5, status: 502, body: "html" });
    const { flow, log } = clientOf(server);
    const attempt = settle(() => flow.execute({ message: "x" }));
    await expect(attempt).rejects.toBeInstanceOf(FlowExecutionError);
    await expect(attempt).rejects.toThrow(/^HTTP 502: HTML error page/);
    expect(log.filter((e) => e.phase === "request")).toHaveLength(2);
  });

  it("honours maxRetries: 0 and gives RateLimitError its retryAfter", async () => {
    const server = await serverWith({ route: "execute", times: 1, status: 429, retryAfter: 7 });
    const { flow, log } = clientOf(server, { maxRetries: 0 });
    const attempt = settle(() => flow.execute({ message: "x" }));
    await expect(attempt).rejects.toBeInstanceOf(RateLimitError);
    await expect(attempt).rejects.toMatchObject({ retryAfter: 7, statusCode: 429 });
    expect(log.filter((e) => e.phase === "request")).toHaveLength(1);
  });

  it("times out waiting for headers with APITimeoutError, without retrying", async () => {
    const server = await serverWith({ route: "execute", latencyMs: 600 });
    const { flow, log } = clientOf(server);
    const attempt = settle(() => flow.execute({ message: "x", timeout: 150 }));
    await expect(attempt).rejects.toBeInstanceOf(APITimeoutError);
    await expect(attempt).rejects.toThrow(/timed out after 150 ms waiting for the response headers/);
    expect(log.filter((e) => e.phase === "request")).toHaveLength(1);
  });

  it("reports a cancelled call as APIUserAbortError, never as a timeout", async () => {
    const server = await serverWith({ route: "execute", latencyMs: 400 });
    const { flow } = clientOf(server);
    const controller = new AbortController();
    if (kind === "Noukai") controller.abort(new Error("stop"));
    else setTimeout(() => controller.abort(new Error("stop")), 50);
    const attempt = settle(() => flow.execute({ message: "x", signal: controller.signal }));
    await expect(attempt).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(attempt).rejects.not.toBeInstanceOf(APITimeoutError);
  });

  it("retries a stream refused before any event, but never one cut after events", async () => {
    const refused = await serverWith({ route: "step", times: 1, status: 503 });
    const first = clientOf(refused);
    const steps: unknown[] = [];
    for await (const step of first.client.flow("examples/demo/two-step").steps({ message: "x" })) steps.push(step);
    expect(steps).toHaveLength(2);
    expect(first.log.filter((e) => e.phase === "retry")).toHaveLength(1);

    const cut = await serverWith({ route: "step", times: 1, cutAfterEvents: 2 });
    const second = clientOf(cut);
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const event of second.client.flow("examples/demo/two-step").events({ message: "x" })) seen.push(event.type);
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual(["run_started", "step_started"]);
    expect(failure).toBeInstanceOf(APIConnectionError);
    expect(second.log.filter((e) => e.phase === "request")).toHaveLength(1);
  });
});
