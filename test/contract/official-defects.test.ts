import { readFileSync } from "node:fs";
import { type LogEvent, type PausedResult, VERSION } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { RecordingServer } from "../helpers/recording-server.js";

/**
 * Each defect that design.md §7 lists for the official client, reproduced
 * against a scripted server: here they stay fixed.
 */
let server: RecordingServer;
beforeAll(async () => {
  server = await RecordingServer.start(new URL("../helpers/responders/defects.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
});

describe.each(CLIENT_KINDS)("%s does not repeat the official client's defects", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, ...extra });

  it("reads CRLF event streams, and never re-sends /step in a loop when a stream ends early", async () => {
    await server.respond("crlfStreamEndingEarly");
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const event of client().flow("o/p/s").events({ message: "x" })) seen.push(event.type);
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual(["run_started", "step_started"]);
    expect(failure).toMatchObject({ code: "STREAM_INCOMPLETE" });
    expect(await server.requests()).toHaveLength(1);
  });

  it("sends the same Idempotency-Key on every retry of an execute, and waits for Retry-After", async () => {
    await server.respond("busyOnceWithDate");
    const log: LogEvent[] = [];
    await client({ onLog: (e: LogEvent) => log.push(e) }).flow("o/p/s").execute({ message: "x" });
    const keys = (await server.requests()).map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(log.find((e) => e.phase === "retry")?.delayMs).toBeGreaterThanOrEqual(500);
  });

  it("keeps the session id on tool-call resumes", async () => {
    await server.respond("pauseThenComplete");
    const result = await client({ sessionId: "sess-1" })
      .flow("o/p/s")
      .execute({ message: "x", toolHandler: (calls) => calls.map((c) => ({ toolCallId: c.id, output: "r" })) });
    expect(result.status).toBe("completed");
    const requests = await server.requests();
    expect(requests.map((r) => r.headers["x-session-id"])).toEqual(["sess-1", "sess-1"]);
    const resume = JSON.parse(requests[1]?.body ?? "{}") as Record<string, unknown>;
    expect(resume).toMatchObject({ message: null, executionId: "exec-1", pausedAtStep: "step-1", iterationsUsed: 1 });
    expect(requests[1]?.headers["idempotency-key"]).not.toBe(requests[0]?.headers["idempotency-key"]);
  });

  it("returns a cancelled job at once instead of polling until the timeout", async () => {
    await server.respond("cancelledJob");
    const job = await client().flow("o/p/s").executeAsync({ message: "x" });
    const status = await job.wait({ timeout: 60_000, pollInterval: 10_000 });
    expect(status.status).toBe("cancelled");
    expect(await server.requests()).toHaveLength(2);
  });

  it("gives RateLimitError a number of seconds from an HTTP-date Retry-After, never NaN", async () => {
    await server.respond("rateLimitedWithDate");
    const error = await settle(() => client({ maxRetries: 0 }).flow("o/p/s").execute({ message: "x" })).then(
      () => undefined,
      (e: unknown) => e as { retryAfter: number },
    );
    expect(error?.retryAfter).toBeGreaterThanOrEqual(89);
    expect(error?.retryAfter).toBeLessThanOrEqual(90);
  });

  it("names its own version in the User-Agent", async () => {
    await server.respond("alwaysCompleted");
    await client().flow("o/p/s").execute({ message: "x" });
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const [request] = await server.requests();
    expect(request?.headers["user-agent"]).toBe(`noukai-ts/${pkg.version} (node/${process.versions.node}; ${process.platform})`);
  });

  it("does not follow redirects, which could carry the key elsewhere", async () => {
    await server.respond("redirectElsewhere");
    await expect(settle(() => client({ maxRetries: 0 }).flow("o/p/s").execute({ message: "x" }))).rejects.toMatchObject({
      code: "UNEXPECTED_REDIRECT",
      statusCode: 307,
    });
    expect(await server.requests()).toHaveLength(1);
  });

  it("resumes a paused result after a JSON round trip with the original call's settings", async () => {
    await server.respond("pauseThenComplete");
    const flow = client().flow("o/p/s");
    const first = (await flow.execute({ message: "x", version: 3, parameters: { p: 1 }, tools: [{ type: "function" }], trace: true })) as PausedResult;
    await flow.resume(JSON.parse(JSON.stringify(first)) as PausedResult, { toolResults: [{ toolCallId: "call_1", output: "r" }] });
    const requests = await server.requests();
    expect(requests.map((r) => r.url)).toEqual(["/api/v1/seq/o/p/s/v3/execute", "/api/v1/seq/o/p/s/v3/execute"]);
    expect(JSON.parse(requests[1]?.body ?? "{}")).toEqual({
      message: null,
      parameters: { p: 1 },
      tools: [{ type: "function" }],
      executionId: "exec-1",
      pausedAtStep: "step-1",
      iterationsUsed: 1,
      toolCallMessages: [{ role: "user", content: "hi" }, { role: "tool", tool_call_id: "call_1", content: "r" }],
      accumulatedOutputs: {},
      trace: true,
    });
  });
});
