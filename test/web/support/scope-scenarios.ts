import type { AsyncNoukai, LogEvent } from "noukai";
import type { ScopeAdapterOptions } from "noukai/fetch";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useRelayService } from "./relay-service.js";

export const HELLO = "examples/demo/hello";

/**
 * Written before each call of a streamed body: large enough to fill every
 * buffer between the route and the socket, so that the framework reads the
 * rest of the body later, from its own code (a socket's drain), as it does
 * for a large or slow answer, rather than in one go from the handler.
 */
export const PADDING = `${" ".repeat(1024 * 1024)}\n`;

/** What every scope app's routes share: the client they call, and a trail of what happened in order. */
export interface RouteKit {
  readonly client: AsyncNoukai;
  readonly trail: string[];
  /** One call of the hello flow; its result. */
  hello(message: string): Promise<string>;
}

/**
 * An app under test, with the scope adapter of its framework mounted and
 * three routes: GET /hello (one call, answered as JSON `{ result }`), GET
 * /twice (two calls, then JSON), and GET /stream (a streamed text body that
 * makes its two calls lazily, while the body is being read, each after a
 * `PADDING` line, and writes "wrote one", "wrote two" to the trail as it goes).
 */
export type StartScopeApp = (kit: RouteKit, options: ScopeAdapterOptions) => Promise<{ url: string; close(): Promise<void> }>;

/** The scope adapters' shared contract, run against one framework. */
export function describeScopeAdapter(framework: string, start: StartScopeApp): void {
  const service = useRelayService();
  let app: { url: string; close(): Promise<void> };
  const trail: string[] = [];
  const scopeErrors: unknown[] = [];
  let client: AsyncNoukai;

  beforeAll(async () => {
    client = service.client();
    const kit: RouteKit = {
      client,
      trail,
      hello: async (message) => {
        const result = await client.flow(HELLO).execute({ message });
        return result.requiresToolCalls ? "paused" : String(result.result);
      },
    };
    const onLog = (event: LogEvent) => {
      if (event.phase === "scope_close") trail.push("scope_close");
    };
    app = await start(kit, { client, onLog, onError: (error) => scopeErrors.push(error) });
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    trail.length = 0;
    scopeErrors.length = 0;
    delete process.env["NOUKAI_REPLAY_ENABLED"];
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${app.url}${path}`, { headers });
    return { status: response.status, session: response.headers.get("x-noukai-session"), text: await response.text() };
  };
  const recorded = async (sessionId: string | null) => (await client.session(sessionId ?? "")).executions.map((execution) => execution.status);
  const started = async () => (await service.server.stats()).executionsStarted;

  describe(`${framework}: a scope per request`, () => {
    it("captures: the route's calls carry the session the response names", async () => {
      const answer = await get("/hello");
      expect(answer.status).toBe(200);
      expect(answer.session).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(answer.text)).toEqual({ result: "Hello! You said: hello" });
      expect(await recorded(answer.session)).toEqual(["completed"]);
      const other = await get("/hello");
      expect(other.session).not.toBe(answer.session);
    });

    it("keeps the scope open until a streamed body has ended: calls made while it streams are in it", async () => {
      const answer = await get("/stream");
      expect(answer.text).toBe(`${PADDING}Hello! You said: one\n${PADDING}Hello! You said: two\n`);
      expect(await recorded(answer.session)).toEqual(["completed", "completed"]);
      await expect.poll(() => trail.includes("scope_close")).toBe(true);
      expect(trail).toEqual(["wrote one", "wrote two", "scope_close"]);
    });

    it("replays a captured request from its session (X-Noukai-Replay), with no new run", async () => {
      const live = await get("/stream");
      process.env["NOUKAI_REPLAY_ENABLED"] = "1";
      const before = await started();
      const replayed = await get("/stream", { "x-noukai-replay": live.session ?? "" });
      expect(replayed).toEqual({ status: 200, session: live.session, text: live.text });
      expect(await started()).toBe(before);
    });

    it("ignores X-Noukai-Replay unless NOUKAI_REPLAY_ENABLED is set: the request is captured", async () => {
      const live = await get("/hello");
      const before = await started();
      const answer = await get("/hello", { "x-noukai-replay": live.session ?? "" });
      expect(answer.session).not.toBe(live.session);
      expect(await started()).toBe(before + 1);
    });

    it("answers replay errors as JSON: a bad id (400), an unknown session (404), a call with nothing recorded (500 replay_error, REPLAY_MISS)", async () => {
      const live = await get("/hello");
      process.env["NOUKAI_REPLAY_ENABLED"] = "1";
      const invalid = await get("/hello", { "x-noukai-replay": "not-a-uuid" });
      expect([invalid.status, JSON.parse(invalid.text)]).toEqual([400, { error: "replay_invalid_session", message: expect.any(String) as unknown, code: "INVALID_SESSION_ID" }]);
      const unknown = await get("/hello", { "x-noukai-replay": "0b8f6c2e-1d3a-4c5b-9e7f-112233445566" });
      expect([unknown.status, (JSON.parse(unknown.text) as { error: string }).error]).toEqual([404, "replay_session_not_found"]);
      const miss = await get("/twice", { "x-noukai-replay": live.session ?? "" });
      expect([miss.status, JSON.parse(miss.text)]).toEqual([500, { error: "replay_error", code: "REPLAY_MISS", message: expect.stringMatching(/hello/) as unknown }]);
    });

    it("reports a replay's leftovers to onError once the response is sent, which stays as it was", async () => {
      const live = await get("/twice");
      process.env["NOUKAI_REPLAY_ENABLED"] = "1";
      const answer = await get("/hello", { "x-noukai-replay": live.session ?? "" });
      expect(answer.status).toBe(200);
      await expect.poll(() => scopeErrors.length).toBe(1);
      expect(scopeErrors[0]).toMatchObject({ name: "ReplayLeftoverError" });
    });
  });
}

/** The /stream body as a web stream whose calls are made in `pull`, as the server reads it: after the handler has returned. */
export function lazyBody(kit: RouteKit): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const parts: (() => Promise<string>)[] = ["one", "two"].flatMap((word) => [
    async () => PADDING,
    async () => {
      const line = `${await kit.hello(word)}\n`;
      kit.trail.push(`wrote ${word}`);
      return line;
    },
  ]);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = parts.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(await next()));
    },
  });
}
