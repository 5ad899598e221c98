import { startServer, type RunningServer } from "noukai/server";
import {
  AuthenticationError,
  FlowExecutionError,
  FlowNotFoundError,
  InsufficientCreditsError,
  NoukaiError,
  type PausedResult,
  PermissionDeniedError,
  RateLimitError,
} from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";
import { WEATHER_TOOLS } from "../helpers/test-flows.js";

let guarded: RunningServer;
let open: RunningServer;
beforeAll(async () => {
  [guarded, open] = await Promise.all([
    startServer({
      port: 0,
      apiKeys: [{ key: "nk_demo_only", org: "examples" }, { key: "nk_other_org", org: "acme" }, { key: "nk_broke", org: "examples" }],
      credits: { acme: "0" },
      rateLimit: { requests: 2, windowSeconds: 60 },
    }),
    startServer({ port: 0 }),
  ]);
});
afterAll(async () => {
  await Promise.all([guarded.close(), open.close()]);
});

async function failure(call: () => unknown): Promise<NoukaiError> {
  try {
    await settle(call);
  } catch (error) {
    expect(error).toBeInstanceOf(NoukaiError);
    const typed = error as NoukaiError;
    expect(typed.message).not.toContain("[object Object]");
    return typed;
  }
  throw new Error("expected the call to fail");
}

describe.each(CLIENT_KINDS)("%s errors", (kind) => {
  const flowOn = (server: RunningServer, key: string, flow = "examples/demo/hello") =>
    makeClient(kind, { apiKey: key, baseUrl: server.baseUrl, maxRetries: 0 }).flow(flow);

  it("401: AuthenticationError with WWW-Authenticate and a request id", async () => {
    const error = await failure(() => flowOn(guarded, "nk_unknown").execute({ message: "x" }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, code: "UNAUTHENTICATED", requestId: expect.stringMatching(/^req_/) as string });
    expect((error as AuthenticationError).wwwAuthenticate).toMatch(/^Bearer /);
    expect(error.message).not.toContain("nk_unknown");
  });

  it("403: PermissionDeniedError for a key scoped to another org", async () => {
    const error = await failure(() => flowOn(guarded, "nk_other_org").execute({ message: "x" }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.statusCode).toBe(403);
  });

  it("402: InsufficientCreditsError when the org has no credits", async () => {
    const acme = await startServer({ port: 0, credits: { examples: "0" } });
    try {
      const error = await failure(() => flowOn(acme, TEST_KEY).execute({ message: "x" }));
      expect(error).toBeInstanceOf(InsufficientCreditsError);
      expect(error.code).toBe("INSUFFICIENT_CREDITS");
    } finally {
      await acme.close();
    }
  });

  it("404: FlowNotFoundError that names what was missing", async () => {
    const error = await failure(() => flowOn(open, TEST_KEY, "examples/demo/no-such-flow").execute({ message: "x" }));
    expect(error).toBeInstanceOf(FlowNotFoundError);
    expect(error).toMatchObject({ statusCode: 404, code: "FLOW_NOT_FOUND" });
    expect(error.message).toContain("no-such-flow");
    const run = await failure(() => flowOn(open, TEST_KEY).run("no-such-run").trace());
    expect(run).toBeInstanceOf(FlowNotFoundError);
  });

  it("429: RateLimitError with retryAfter in seconds", async () => {
    const limited = await startServer({ port: 0, rateLimit: { requests: 1, windowSeconds: 30 } });
    try {
      const flow = flowOn(limited, TEST_KEY);
      await flow.execute({ message: "first" });
      const error = await failure(() => flow.execute({ message: "second" }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfter).toBeGreaterThan(0);
      expect(Number.isNaN((error as RateLimitError).retryAfter)).toBe(false);
    } finally {
      await limited.close();
    }
  });

  it("other statuses: FlowExecutionError with the server's code", async () => {
    const weather = makeClient(kind, { apiKey: TEST_KEY, baseUrl: open.baseUrl }).flow("examples/demo/weather");
    const paused = (await weather.execute({ message: "weather in Oslo", tools: WEATHER_TOOLS })) as PausedResult;
    const forged = { ...JSON.parse(JSON.stringify(paused)) as PausedResult, executionId: "00000000-0000-4000-8000-000000000000" };
    const error = await failure(() => weather.resume(forged, { toolResults: [{ toolCallId: paused.toolCalls[0]?.id ?? "", output: "x" }] }));
    expect(error).toBeInstanceOf(FlowExecutionError);
    expect(error).toMatchObject({ statusCode: 400, code: "EXECUTION_ID_INVALID" });
    expect(error.responseBody).toMatchObject({ detail: { code: "EXECUTION_ID_INVALID" } });
    expect(error.headers?.["x-request-id"]).toBe(error.requestId);
  });
});
