import { request as httpRequest, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express5 from "express";
import express4 from "express4";
import Fastify from "fastify";
import { Hono } from "hono";
import type { AsyncNoukai, LogEvent } from "noukai";
import { noukaiScope as expressScope } from "noukai/express";
import { noukaiScope as fastifyScope } from "noukai/fastify";
import { withNoukaiScope } from "noukai/fetch";
import { noukaiScope as honoScope } from "noukai/hono";
import { afterEach, describe, expect, it } from "vitest";
import { HELLO } from "./support/scope-scenarios.js";
import { serveFetch, serveNode } from "./support/serve.js";
import { useRelayService } from "./support/relay-service.js";

/**
 * How long a request's scope lasts, over loopback: until the handler is
 * done and the response is over, whatever the caller does meanwhile, and
 * not longer when the response carries no body.
 */
afterEach(() => {
  delete process.env["NOUKAI_REPLAY_ENABLED"];
});

/** A scope's options that note its close and what it reports, and a promise of the next close. */
function watchedScope(client: AsyncNoukai) {
  const reported: string[] = [];
  let closed: (event: LogEvent) => void = () => undefined;
  const watch = {
    reported,
    options: {
      client,
      onLog: (event: LogEvent) => {
        if (event.phase === "scope_close") closed(event);
      },
      onError: (error: unknown) => reported.push((error as Error).name),
    },
    nextClose: () => new Promise<LogEvent>((resolve) => (closed = resolve)),
  };
  return watch;
}

/** A GET whose caller goes away once the route has started; resolves when the request was sent and dropped. */
function getAndHangUp(url: string, headers: Record<string, string>, routeStarted: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { headers });
    request.on("error", () => resolve());
    request.end();
    void routeStarted.then(() => {
      request.destroy();
      resolve();
    });
  });
}

async function capturedSession(url: string): Promise<{ session: string; executionId: string }> {
  const response = await fetch(url);
  return { session: String(response.headers.get("x-noukai-session")), executionId: ((await response.json()) as { executionId: string }).executionId };
}

describe("a caller who disconnects while the handler runs", () => {
  const service = useRelayService();

  /** The route: after the caller has gone (res 'close'), one flow call; what it got is handed to the test. */
  function slowRoute(client: AsyncNoukai) {
    let started: () => void = () => undefined;
    let got: (executionId: string) => void = () => undefined;
    const trial = {
      started: new Promise<void>((resolve) => (started = resolve)),
      got: new Promise<string>((resolve) => (got = resolve)),
    };
    const handle = async (res: ServerResponse, replaying: boolean) => {
      if (replaying) {
        const gone = new Promise((resolve) => res.once("close", resolve));
        started();
        await gone;
        // Work that goes on after the caller left (the wait is not what is tested: only that it outlasts the disconnect).
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const result = await client.flow(HELLO).execute({ message: "hi" });
      const executionId = String(result.executionId);
      if (replaying) got(executionId);
      return { executionId };
    };
    return { trial, handle };
  }

  it.each([
    ["Express 5", express5],
    ["Express 4", express4],
  ])("%s: the handler's calls after the disconnect are still replayed, not run live, and nothing is reported", async (_name, express) => {
    const client = service.client();
    const watch = watchedScope(client);
    const route = slowRoute(client);
    const app = express();
    app.use(expressScope(watch.options));
    app.get("/slow", async (req, res, next) => {
      try {
        res.json(await route.handle(res, req.headers["x-noukai-replay"] !== undefined));
      } catch (error) {
        next(error);
      }
    });
    const served = await serveNode(app);
    try {
      const recorded = await capturedSession(`${served.url}/slow`);
      process.env["NOUKAI_REPLAY_ENABLED"] = "1";
      const closed = watch.nextClose();
      await getAndHangUp(`${served.url}/slow`, { "x-noukai-replay": recorded.session }, route.trial.started);
      expect(await route.trial.got).toBe(recorded.executionId);
      expect(await closed).toMatchObject({ mode: "replay", sessionId: recorded.session });
      expect(watch.reported).toEqual([]);
      expect((await client.session(recorded.session)).executions).toHaveLength(1);
    } finally {
      await served.close();
    }
  });

  it("Fastify 5: the handler's calls after the disconnect are still replayed, not run live, and nothing is reported", async () => {
    const client = service.client();
    const watch = watchedScope(client);
    const route = slowRoute(client);
    const app = Fastify();
    await app.register(fastifyScope(watch.options));
    app.get("/slow", async (request, reply) => route.handle(reply.raw, request.headers["x-noukai-replay"] !== undefined));
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const recorded = await capturedSession(`${url}/slow`);
      process.env["NOUKAI_REPLAY_ENABLED"] = "1";
      const closed = watch.nextClose();
      await getAndHangUp(`${url}/slow`, { "x-noukai-replay": recorded.session }, route.trial.started);
      expect(await route.trial.got).toBe(recorded.executionId);
      expect(await closed).toMatchObject({ mode: "replay", sessionId: recorded.session });
      expect(watch.reported).toEqual([]);
      expect((await client.session(recorded.session)).executions).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe("a handler that goes on calling after it has answered", () => {
  const service = useRelayService();

  it("Express 5: on a replayed request, a call made after the response is refused (ReplayMissError), never run live", async () => {
    const client = service.client();
    const watch = watchedScope(client);
    let late: (outcome: unknown) => void = () => undefined;
    const lateOutcome = new Promise<unknown>((resolve) => (late = resolve));
    const app = express5();
    app.use(expressScope(watch.options));
    app.get("/now", async (_req, res, next) => {
      try {
        res.json({ executionId: (await client.flow(HELLO).execute({ message: "hi" })).executionId });
      } catch (error) {
        next(error);
      }
    });
    app.get("/late", (_req, res) => {
      res.json({ answered: true });
      setTimeout(() => void client.flow(HELLO).execute({ message: "hi" }).then(late, late), 50);
    });
    const served = await serveNode(app);
    try {
      const recorded = await capturedSession(`${served.url}/now`);
      process.env["NOUKAI_REPLAY_ENABLED"] = "1";
      const answer = await fetch(`${served.url}/late`, { headers: { "x-noukai-replay": recorded.session } });
      expect(await answer.json()).toEqual({ answered: true });
      expect(await lateOutcome).toMatchObject({ name: "ReplayMissError", code: "REPLAY_MISS" });
      // Nothing ran on the service: the session still holds the one execution it was captured with.
      expect((await client.session(recorded.session)).executions).toHaveLength(1);
    } finally {
      await served.close();
    }
  });
});

describe("Express: a route that reads its body from the request's events", () => {
  const service = useRelayService();

  it.each([
    ["Express 5", express5],
    ["Express 4", express4],
  ])("%s: the end callback runs in the scope when the body comes after the headers, and its call is captured", async (_name, express) => {
    const client = service.client();
    let listening: () => void = () => undefined;
    const routeListens = new Promise<void>((resolve) => (listening = resolve));
    const app = express();
    app.use(expressScope({ client }));
    app.post("/upload", (req, res, next) => {
      let size = 0;
      req.on("data", (chunk: Buffer) => (size += chunk.length));
      req.on("end", () => {
        client
          .flow(HELLO)
          .execute({ message: `got ${size} bytes` })
          .then((result) => res.json({ result: result.requiresToolCalls ? null : result.result }), next);
      });
      listening();
    });
    const served = await serveNode(app);
    try {
      const { port } = served.server.address() as AddressInfo;
      const answer = await new Promise<{ session: string; body: string }>((resolve, reject) => {
        const request = httpRequest({ host: "127.0.0.1", port, path: "/upload", method: "POST", headers: { "content-length": "10" } });
        request.on("response", (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          response.on("end", () => resolve({ session: String(response.headers["x-noukai-session"]), body }));
        });
        request.on("error", reject);
        // The headers first; the body only once the route listens for it, so that it arrives in events of its own.
        request.flushHeaders();
        void routeListens.then(() => request.end("0123456789"));
      });
      expect(JSON.parse(answer.body)).toEqual({ result: "Hello! You said: got 10 bytes" });
      expect((await client.session(answer.session)).executions).toHaveLength(1);
    } finally {
      await served.close();
    }
  });
});

describe("an answer with no body to read", () => {
  const service = useRelayService();

  it("Hono: a HEAD request (Hono runs GET and drops its body) closes its scope, and a replay's leftovers are reported", async () => {
    const client = service.client();
    const watch = watchedScope(client);
    const app = new Hono();
    app.use(honoScope(watch.options));
    app.get("/record", async (c) => c.json(await client.flow(HELLO).execute({ message: "hi" })));
    app.get("/page", (c) => c.text("a page that makes no flow call"));
    const served = await serveFetch(app.fetch);
    try {
      const recorded = await fetch(`${served.url}/record`);
      await recorded.text();
      const session = String(recorded.headers.get("x-noukai-session"));
      process.env["NOUKAI_REPLAY_ENABLED"] = "1";
      const closed = watch.nextClose();
      const head = await fetch(`${served.url}/page`, { method: "HEAD", headers: { "x-noukai-replay": session } });
      expect([head.status, head.headers.get("x-noukai-session"), await head.text()]).toEqual([200, session, ""]);
      expect(await closed).toMatchObject({ mode: "replay", sessionId: session });
      await expect.poll(() => watch.reported).toEqual(["ReplayLeftoverError"]);
    } finally {
      await served.close();
    }
  });

  it.each([
    ["HEAD", 200],
    ["GET", 204],
    ["GET", 304],
  ])("withNoukaiScope: a %s answered %i closes its scope though the body the handler made is never read, and cancels that body", async (method, status) => {
    const client = service.client();
    const watch = watchedScope(client);
    let cancelled: () => void = () => undefined;
    const bodyCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    const handler = withNoukaiScope(() => {
      const body = new ReadableStream<Uint8Array>({ cancel: () => cancelled() });
      // A 204 or 304 cannot be built with a body: the handler's is handed over as a Response-like object.
      return status === 200 ? new Response(body, { status }) : ({ status, statusText: "", headers: new Headers(), body } as unknown as Response);
    }, watch.options);
    const served = await serveFetch(handler);
    try {
      const closed = watch.nextClose();
      const answer = await fetch(`${served.url}/`, { method });
      expect([answer.status, await answer.text()]).toEqual([status, ""]);
      expect(await closed).toMatchObject({ mode: "capture", sessionId: answer.headers.get("x-noukai-session") });
      await bodyCancelled;
    } finally {
      await served.close();
    }
  });
});
