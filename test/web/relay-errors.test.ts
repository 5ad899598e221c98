import { randomUUID } from "node:crypto";
import { AsyncNoukai } from "noukai";
import { startServer } from "noukai/server";
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  createRelayFlow,
  FlowNotFoundError,
  InternalServerError,
  RateLimitError,
} from "noukai/relay";
import { describe, expect, it } from "vitest";
import { post, useRelays } from "./support/relay-http.js";
import { serveNode } from "./support/serve.js";
import { RELAY_KEY, sessionRuns, useRelayService, WEATHER_TOOLS } from "./support/relay-service.js";

/**
 * Every failure reaches the page as a typed error with a code and a request
 * id: the relay's own refusals, the service's answers (with their
 * X-Request-ID and Retry-After relayed), the service out of reach behind the
 * relay, and the page's own trouble reaching the relay (network, timeout,
 * its AbortSignal), never a raw TypeError or AbortError.
 */
const service = useRelayService();
const relayFor = useRelays(service);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const event of stream) expect(event).toBeDefined();
}

describe("the service's answers, through the relay", () => {
  it("a flow that is not there: FlowNotFoundError with the service's code and request id", async () => {
    const { url } = await relayFor({ flow: "examples/demo/nowhere", prepare: () => ({}) });
    const raw = await post(url, { message: "hi" });
    expect(raw.headers.get("x-request-id")).toMatch(/^req_/);
    const error = await failure(createRelayFlow({ url }).execute({ message: "hi" }));
    expect(error).toBeInstanceOf(FlowNotFoundError);
    expect(error).toMatchObject({ statusCode: 404, code: "FLOW_NOT_FOUND", requestId: expect.stringMatching(/^req_/) as unknown });
  });

  it("the service's rate limit: RateLimitError with its Retry-After and request id", async () => {
    const limited = await startServer({ port: 0, rateLimit: { requests: 1, windowSeconds: 30 } });
    try {
      const { url } = await relayFor({ client: new AsyncNoukai({ apiKey: RELAY_KEY, baseUrl: limited.baseUrl, maxRetries: 0 }), prepare: () => ({ tools: WEATHER_TOOLS }) });
      const flow = createRelayFlow({ url });
      await flow.execute({ message: "Weather in Oslo" });
      const raw = await post(url, { message: "Weather in Oslo" });
      expect([raw.status, raw.headers.get("retry-after")]).toEqual([429, expect.stringMatching(/^\d+$/)]);
      const error = await failure(flow.execute({ message: "Weather in Oslo" }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfter).toBeGreaterThan(20);
      expect((error as RateLimitError).requestId).toMatch(/^req_/);
    } finally {
      await limited.close();
    }
  });

  it("the service refusing the relay's key: 502 UPSTREAM_REFUSED, which names no key", async () => {
    const strict = await startServer({ port: 0, apiKeys: [{ key: "nk_only_this_one" }] });
    try {
      const { url } = await relayFor({ client: new AsyncNoukai({ apiKey: RELAY_KEY, baseUrl: strict.baseUrl, maxRetries: 0 }) });
      const raw = await post(url, { message: "hi" });
      expect(raw.text).not.toContain(RELAY_KEY);
      const error = await failure(createRelayFlow({ url }).execute({ message: "hi" }));
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ statusCode: 502, code: "UPSTREAM_REFUSED" });
    } finally {
      await strict.close();
    }
  });

  it("the service out of reach: APIConnectionError (UPSTREAM_UNAVAILABLE); too slow: APITimeoutError (UPSTREAM_TIMEOUT)", async () => {
    const closed = await serveNode((_request, response) => response.end());
    const baseUrl = `${closed.url}/api/v1`;
    await closed.close();
    const down = await relayFor({ client: new AsyncNoukai({ apiKey: RELAY_KEY, baseUrl, maxRetries: 0 }) });
    const unreachable = await failure(createRelayFlow({ url: down.url }).execute({ message: "hi" }));
    expect(unreachable).toBeInstanceOf(APIConnectionError);
    expect(unreachable).toMatchObject({ statusCode: 502, code: "UPSTREAM_UNAVAILABLE" });
    const slow = await relayFor({ client: service.client({ timeout: 100 }), flow: "examples/demo/slow", prepare: () => ({}) });
    const late = await failure(createRelayFlow({ url: slow.url }).execute({ message: "tides" }));
    expect(late).toBeInstanceOf(APITimeoutError);
    expect(late).toMatchObject({ statusCode: 504, code: "UPSTREAM_TIMEOUT" });
    const lateStream = await failure(drain(createRelayFlow({ url: slow.url }).steps({ message: "tides" })));
    expect(lateStream).toBeInstanceOf(APITimeoutError);
  });

  it("a stream past the relay's streamTimeoutMs: APITimeoutError (RELAY_STREAM_TIMEOUT), and the run's request to the service ended", async () => {
    const { url, sessionId } = await relayFor({ flow: "examples/demo/slow", prepare: () => ({}), streamTimeoutMs: 400 }, randomUUID());
    const error = await failure(drain(createRelayFlow({ url }).steps({ message: "tides" })));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toMatchObject({ code: "RELAY_STREAM_TIMEOUT", statusCode: 504 });
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["running"]);
  });

  it("a failure the relay does not explain: RELAY_ERROR with the request id onError got, and nothing of the error", async () => {
    const reported: [unknown, string][] = [];
    const { url } = await relayFor({
      prepare: () => {
        throw new Error("feature flag service at flags.internal is down");
      },
      onError: (error, { requestId }) => reported.push([error, requestId]),
    });
    const raw = await post(url, { message: "hi" });
    expect(raw.status).toBe(500);
    expect(raw.text).not.toContain("flags.internal");
    expect(reported).toHaveLength(1);
    expect(reported[0]?.[1]).toBe(raw.headers.get("x-request-id"));
    const error = await failure(createRelayFlow({ url }).execute({ message: "hi" }));
    expect(error).toMatchObject({ code: "RELAY_ERROR", requestId: expect.stringMatching(/^relay_/) as unknown });
  });
});

describe("the page's own trouble reaching the relay", () => {
  it("no relay there: APIConnectionError (CONNECTION_ERROR), not a raw TypeError", async () => {
    const closed = await serveNode((_request, response) => response.end());
    await closed.close();
    const flow = createRelayFlow({ url: `${closed.url}/api/weather` });
    const whole = await failure(flow.execute({ message: "hi" }));
    expect(whole).toBeInstanceOf(APIConnectionError);
    expect(whole).toMatchObject({ code: "CONNECTION_ERROR" });
    expect(await failure(drain(flow.events({ message: "hi" })))).toBeInstanceOf(APIConnectionError);
  });

  it("its timeout (milliseconds): APITimeoutError, whole and streamed", async () => {
    const { url } = await relayFor({ flow: "examples/demo/slow", prepare: () => ({}) });
    const flow = createRelayFlow({ url, timeout: 150 });
    const whole = await failure(flow.execute({ message: "tides" }));
    expect(whole).toBeInstanceOf(APITimeoutError);
    expect(whole).toMatchObject({ code: "TIMEOUT" });
    // On a stream the timeout bounds each silence: 300 ms steps outlast 150 ms.
    expect(await failure(drain(flow.steps({ message: "tides" })))).toBeInstanceOf(APITimeoutError);
    expect(await failure(drain(createRelayFlow({ url }).steps({ message: "tides", timeout: 150 })))).toBeInstanceOf(APITimeoutError);
  });

  it("its AbortSignal: APIUserAbortError, never mistaken for the timeout", async () => {
    const { url } = await relayFor({ flow: "examples/demo/slow", prepare: () => ({}) });
    const flow = createRelayFlow({ url, timeout: 60_000 });
    const whole = await failure(flow.execute({ message: "tides", signal: AbortSignal.timeout(100) }));
    expect(whole).toBeInstanceOf(APIUserAbortError);
    expect(whole).toMatchObject({ code: "ABORTED" });
    const controller = new AbortController();
    const stream = flow.events({ message: "tides", signal: controller.signal });
    const error = await failure((async () => {
      for await (const event of stream) if (event.type === "step_completed") controller.abort();
    })());
    expect(error).toBeInstanceOf(APIUserAbortError);
    const already = await failure(flow.execute({ message: "tides", signal: AbortSignal.abort() }));
    expect(already).toBeInstanceOf(APIUserAbortError);
  });

  it("bad input in the page: ValueError or TypeError before anything is sent", async () => {
    let sent = 0;
    const flow = createRelayFlow({ url: "http://relay.invalid/", fetch: async () => {
      sent += 1;
      return new Response("{}");
    } });
    await expect(flow.execute({})).rejects.toThrow(/exactly one of message or messages/);
    await expect(flow.execute({ message: "hi", parameters: {} } as never)).rejects.toThrow(/has no option "parameters"/);
    await expect(flow.execute({ message: "hi", timeout: 0 })).rejects.toThrow(/positive number of milliseconds/);
    await expect(flow.execute({ message: "hi", timeout: 2 ** 31 })).rejects.toThrow(/positive number of milliseconds up to 2147483647/);
    await expect(flow.resume({ status: "tool_calls_required", token: "t", toolCalls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }], expiresAt: "" }, { toolResults: [{ toolCallId: "c2", output: 1 }] })).rejects.toThrow(/did not ask for/);
    expect(() => flow.events({ message: 1 } as never)).toThrow(TypeError);
    expect(() => createRelayFlow({ url: "" })).toThrow(/url is empty/);
    expect(() => createRelayFlow({ url: "/x", timeout: -1 })).toThrow(/positive number/);
    expect(sent).toBe(0);
  });

  it("an answer that is no relay's: FlowExecutionError INVALID_RESPONSE, not a result made of nothing", async () => {
    const flow = createRelayFlow({ url: "http://relay.invalid/", fetch: async () => new Response("{}", { status: 200 }) });
    await expect(flow.execute({ message: "hi" })).rejects.toMatchObject({ name: "FlowExecutionError", code: "INVALID_RESPONSE" });
  });
});
