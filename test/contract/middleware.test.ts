/**
 * The middleware chain, for both clients: it sees each request before it is
 * sent (and may add headers, or answer it itself), each answer and each
 * stream event, on the caller's thread, in order, never the key.
 */
import { type CallInfo, type Middleware, type MiddlewareEvent, type OutgoingRequest, ServerErrorCode, ValueError } from "noukai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, collect, makeClient, settle, TEST_KEY } from "../helpers/clients.js";
import { RecordingServer } from "../helpers/recording-server.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await RecordingServer.start(new URL("../helpers/responders/wire.ts", import.meta.url));
  await server.respond("answer");
});
afterAll(async () => {
  await server.close();
});

// The README's first example: a middleware that adds a header to every request.
const traceHeader = (traceId: string): Middleware => ({
  name: "trace-header",
  onRequest(request) {
    request.headers["x-trace-id"] = traceId;
  },
});

// The README's second example: a middleware that answers execute itself, so nothing is sent.
const cannedExecute: Middleware = {
  name: "canned",
  onRequest(request) {
    if (!request.path.endsWith("/execute")) return undefined;
    return { status: 200, body: { status: "completed", result: "from the middleware", executionId: "exec-canned", flowId: "f", blockCount: 1 } };
  },
};

describe.each(CLIENT_KINDS)("%s middleware", (kind) => {
  const client = (middleware: Middleware[], extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, maxRetries: 0, middleware, ...extra });

  it("adds a header to every request of every call (README example)", async () => {
    await server.respond("answer");
    const c = client([traceHeader("trace-123")]);
    await settle(() => c.flow("acme/spelling/grade-3").execute({ message: "hi" }));
    await collect(c.flow("acme/spelling/two-step").steps({ message: "hi" }));
    const job = await settle(() => c.flow("acme/spelling/grade-3").executeAsync({ message: "later" }));
    await settle(() => job.poll());
    const requests = await server.requests();
    expect(requests.length).toBeGreaterThanOrEqual(5);
    for (const request of requests) expect(request.headers["x-trace-id"]).toBe("trace-123");
    await c.close();
  });

  it("answers a call itself, so that nothing is sent (README example)", async () => {
    await server.respond("answer");
    const c = client([cannedExecute]);
    const result = await settle(() => c.flow("acme/spelling/grade-3").execute({ message: "hi" }));
    expect(result).toMatchObject({ status: "completed", result: "from the middleware", executionId: "exec-canned" });
    expect(await server.requests()).toEqual([]);
    await c.close();
  });

  it("answers a stream with its events, which the client follows as it would the server's", async () => {
    await server.respond("answer");
    const answering: Middleware = {
      onRequest: (request) => ({
        status: 200,
        events: [
          { event: "run_started", data: { runId: "r", executionId: "exec-m" } },
          { event: "step_started", data: { stepId: "only" } },
          { event: "step_completed", data: { stepId: "only", output: "made up" } },
          { event: "flow_completed", data: { executionId: "exec-m", result: request.stream ? "streamed" : "?" } },
        ],
      }),
    };
    const events = await collect(client([answering]).flow("acme/spelling/two-step").events({ message: "hi" }));
    expect(events.map((event) => event.type)).toEqual(["run_started", "step_started", "step_completed", "flow_completed"]);
    expect(events.at(-1)).toMatchObject({ result: "streamed" });
    expect(await server.requests()).toEqual([]);
  });

  it("treats an answer as the server's: a 503 is retried, a 404 is FlowNotFoundError", async () => {
    let calls = 0;
    const flaky: Middleware = {
      onRequest: () => {
        calls++;
        return calls === 1
          ? { status: 503, body: { detail: { code: "INTERNAL_ERROR", message: "try again" } }, headers: { "retry-after": "0" } }
          : { status: 200, body: { status: "completed", result: 2, executionId: "e", flowId: "f", blockCount: 1 } };
      },
    };
    expect(await settle(() => client([flaky], { maxRetries: 1 }).flow("a/b/c").execute({ message: "x" }))).toMatchObject({ result: 2 });
    expect(calls).toBe(2);
    const missing: Middleware = { onRequest: () => ({ status: 404, body: { detail: { code: ServerErrorCode.FLOW_NOT_FOUND, message: "no such flow" } } }) };
    await expect(settle(() => client([missing]).flow("a/b/c").execute({ message: "x" }))).rejects.toMatchObject({
      name: "FlowNotFoundError",
      resource: "flow",
      statusCode: 404,
    });
  });

  it("runs the chain in order, each hook seeing the one before, and shows every answer and event", async () => {
    await server.respond("answer");
    const seen: string[] = [];
    const first: Middleware = {
      name: "first",
      onRequest(request) {
        request.headers["x-order"] = "first";
        seen.push(`first ${request.method} ${request.path.split("/").at(-1) ?? ""}`);
      },
      onResponse: (response) => void seen.push(`first saw ${response.status}`),
      onEvent: (event) => void seen.push(`event ${event.type}`),
    };
    const second: Middleware = {
      name: "second",
      onRequest(request) {
        seen.push(`second saw x-order=${request.headers["x-order"] ?? ""}`);
      },
      onResponse: (response) => void seen.push(`second saw ${response.status}${response.answeredBy === undefined ? " from the server" : ""}`),
    };
    const steps = await collect(client([first, second]).flow("acme/spelling/two-step").steps({ message: "hi" }));
    expect(steps).toHaveLength(2);
    // steps() yields completed steps only; onEvent sees every event of both /step requests.
    expect(seen.slice(0, 4)).toEqual(["first POST step", "second saw x-order=first", "first saw 200", "second saw 200 from the server"]);
    expect(seen.filter((line) => line.startsWith("event "))).toEqual([
      "event run_started",
      "event step_started",
      "event step_completed",
      "event step_paused",
      "event step_started",
      "event step_completed",
      "event flow_completed",
    ]);
  });

  it("names the call every request belongs to, and never shows the key", async () => {
    await server.respond("answer");
    const calls: CallInfo[] = [];
    const requests: OutgoingRequest[] = [];
    const events: MiddlewareEvent[] = [];
    const watcher: Middleware = {
      onRequest(request, call) {
        requests.push(request);
        calls.push(call);
      },
      onEvent: (event) => void events.push(event),
    };
    const c = client([watcher]);
    await settle(() => c.flow("acme/spelling/grade-3").execute({ message: "hi", tools: [{ type: "function", function: { name: "get_weather" } }], toolHandler: (toolCalls) => toolCalls.map((call) => ({ toolCallId: call.id, output: "sunny" })) }));
    // The fresh call and its tool resume are one call.
    expect(calls.map((call) => call.operation)).toEqual(["execute", "execute"]);
    expect(calls[0]?.id).toBe(calls[1]?.id);
    expect(calls[0]?.flow).toEqual({ org: "acme", project: "spelling", slug: "grade-3" });
    for (const request of requests) {
      expect(request.headers["authorization"]).toBeUndefined();
      expect(JSON.stringify(request)).not.toContain(TEST_KEY);
    }
    expect(requests.map((request) => request.body?.["executionId"])).toEqual([undefined, "exec-1"]);
  });

  it("sees each call start and end (with its value, its error, or abandoned), each retry and each tool handler run", async () => {
    await server.respond("answer");
    const seen: string[] = [];
    let failFirst = true;
    const lifecycle: Middleware = {
      onCall(call) {
        seen.push(`start ${call.operation}`);
        return (end) => void seen.push(`end ${call.operation} ${end.outcome}${end.outcome === "error" ? ` ${(end.error as Error).name}` : ""}`);
      },
      onRequest() {
        if (!failFirst) return undefined;
        failFirst = false;
        return { status: 503, headers: { "retry-after": "0" }, body: { detail: { code: "INTERNAL_ERROR", message: "busy" } } };
      },
      onRetry: (retry) => void seen.push(`retry after attempt ${retry.attempt}: ${"status" in retry.reason ? retry.reason.status : retry.reason.connection}`),
      onToolHandler(toolCalls) {
        seen.push(`tools ${toolCalls.map((call) => call.function.name).join(",")}`);
        return (end) => void seen.push(`tools ${end.outcome} ${end.outcome === "value" ? JSON.stringify(end.results) : ""}`);
      },
    };
    const c = client([lifecycle], { maxRetries: 1 });
    await settle(() =>
      c.flow("acme/spelling/grade-3").execute({ message: "hi", tools: [{ type: "function", function: { name: "get_weather" } }], toolHandler: (calls) => calls.map((call) => ({ toolCallId: call.id, output: "sunny" })) }),
    );
    await expect(settle(() => c.flow("a/b/c").execute({ message: "x", version: "draft", toolChoice: 3 as never }))).rejects.toBeInstanceOf(TypeError);
    for await (const event of c.flow("acme/spelling/two-step").events({ message: "hi" })) if (event.type === "run_started") break;
    expect(seen).toEqual([
      "start execute",
      "retry after attempt 0: 503",
      'tools get_weather',
      'tools value [{"toolCallId":"call_1","output":"sunny"}]',
      "end execute value",
      "start events",
      "end events abandoned",
    ]);
  });

  it("refuses a change to a header the client owns, naming it", async () => {
    for (const name of ["authorization", "x-noukai-api-version", "idempotency-key", "user-agent"]) {
      const forger: Middleware = {
        onRequest(request) {
          request.headers[name] = "forged";
        },
      };
      await expect(settle(() => client([forger]).flow("a/b/c").execute({ message: "x" }))).rejects.toThrow(new RegExp(`changed the ${name} header`));
    }
    const bad: Middleware = {
      onRequest(request) {
        request.headers["x-bad"] = "line\r\nbreak";
      },
    };
    await expect(settle(() => client([bad]).flow("a/b/c").execute({ message: "x" }))).rejects.toBeInstanceOf(ValueError);
  });

  it("refuses a malformed answer, naming the middleware, and fails the call with what a hook throws", async () => {
    const odd: Middleware = { name: "odd", onRequest: () => ({ status: "ok" }) as never };
    await expect(settle(() => client([odd]).flow("a/b/c").execute({ message: "x" }))).rejects.toThrow(/middleware "odd" answered POST \/seq\/a\/b\/c\/execute with status "ok"/);
    const broken: Middleware = {
      onResponse() {
        throw new Error("the layer failed");
      },
    };
    await expect(settle(() => client([broken]).flow("acme/spelling/grade-3").execute({ message: "x" }))).rejects.toThrow("the layer failed");
  });

  it("refuses an answer whose body or events JSON cannot carry, naming the middleware and the place, before anything reads it", async () => {
    await server.respond("answer");
    const answering = (answer: unknown): Middleware => ({ name: "canned", onRequest: () => answer as never });
    const cycle: Record<string, unknown> = { status: "completed" };
    cycle["self"] = cycle;
    let deep: unknown = "x";
    for (let level = 0; level < 5_000; level++) deep = [deep];
    const where = "middleware \"canned\"'s answer to POST /seq/a/b/c/execute: body";
    const cases: [unknown, string][] = [
      [{ status: 200, body: { result: 1n } }, `${where}.result is bigint 1, which cannot be sent as JSON.`],
      [{ status: 200, body: cycle }, `${where}.self refers back to itself; JSON cannot carry a cycle.`],
      [{ status: 200, body: () => "x" }, `${where} is a function, which cannot be sent as JSON.`],
      [{ status: 200, body: { deep } }, `${where} is nested more than 2000 levels deep, more than the client sends as JSON.`],
    ];
    for (const [answer, message] of cases) {
      const failure = await settle(() => client([answering(answer)]).flow("a/b/c").execute({ message: "x" })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TypeError);
      expect((failure as Error).message).toBe(message);
    }
    const badEvent = answering({ status: 200, events: [{ event: "run_started", data: { executionId: 1n } }] });
    const streamed = await settle(() => collect(client([badEvent]).flow("a/b/c").events({ message: "x" }))).catch((error: unknown) => error);
    expect((streamed as Error).message).toBe("middleware \"canned\"'s answer to POST /seq/a/b/c/step: events[0].data.executionId is bigint 1, which cannot be sent as JSON.");
    expect(await server.requests()).toEqual([]);
  });

  it("refuses a hook that replaces request.headers instead of changing its entries", async () => {
    const replacing: Middleware = {
      onRequest(request) {
        (request as { headers: unknown }).headers = null;
      },
    };
    await expect(settle(() => client([replacing]).flow("a/b/c").execute({ message: "x" }))).rejects.toThrow(
      new ValueError("a middleware replaced request.headers with null; change its entries instead."),
    );
  });

  it("refuses a middleware array with a hole where the client is made, as it refuses undefined there", () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => client([, traceHeader("t")] as Middleware[])).toThrow(/option middleware\[0\] must be an object with hooks/);
  });

  it("closes every layer a call opened when one layer's end throws, then fails the call with that error", async () => {
    await server.respond("answer");
    const ended: string[] = [];
    const layer = (name: string, fails: boolean): Middleware => ({
      name,
      onCall: () => (end) => {
        ended.push(`${name} ${end.outcome}`);
        if (fails) throw new Error(`${name} failed to close`);
      },
    });
    await expect(settle(() => client([layer("outer", false), layer("middle", true), layer("inner", true)]).flow("acme/spelling/grade-3").execute({ message: "x" }))).rejects.toThrow(
      "inner failed to close",
    );
    expect(ended).toEqual(["inner value", "middle value", "outer value"]);
    ended.length = 0;
    const refusing: Middleware = {
      name: "refusing",
      onCall() {
        throw new Error("no calls today");
      },
    };
    await expect(settle(() => client([layer("outer", false), refusing]).flow("acme/spelling/grade-3").execute({ message: "x" }))).rejects.toThrow("no calls today");
    expect(ended).toEqual(["outer error"]);
  });

  if (kind === "AsyncNoukai") {
    it("waits for an onRequest that returns a promise", async () => {
      await server.respond("answer");
      const slow: Middleware = {
        async onRequest(request) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          request.headers["x-waited"] = "yes";
        },
      };
      await settle(() => client([slow]).flow("acme/spelling/grade-3").execute({ message: "x" }));
      expect((await server.requests())[0]?.headers["x-waited"]).toBe("yes");
    });
  } else {
    it("refuses an onRequest that returns a promise, since it cannot wait for it", async () => {
      const slow: Middleware = { name: "slow", onRequest: async () => undefined };
      await expect(settle(() => client([slow]).flow("a/b/c").execute({ message: "x" }))).rejects.toThrow(/middleware "slow" onRequest returned a Promise/);
    });
  }
});
