import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { Noukai as OfficialNoukai } from "@noukai/sdk";
import { noukaiTraceMiddleware } from "@noukai/sdk/adapters/express";
import express5 from "express";
import express4 from "express4";
import { noukaiRelay, noukaiReplayErrors, noukaiScope } from "noukai/express";
import { createRelayFlow } from "noukai/relay";
import { describe, expect, it } from "vitest";
import { describeScopeAdapter, PADDING, type RouteKit } from "./support/scope-scenarios.js";
import { serveNode } from "./support/serve.js";
import { SECRET, useRelayService, WEATHER, WEATHER_TOOLS, weatherHandler } from "./support/relay-service.js";

/**
 * Express 4 and 5, started on a loopback port: the scope middleware (with
 * the official middleware's failure beside it), and the relay as a route.
 */
type ExpressFactory = typeof express5;
const EXPRESSES: [string, ExpressFactory][] = [
  ["Express 5", express5],
  ["Express 4", express4],
];

function scopeApp(express: ExpressFactory, kit: RouteKit, options: Parameters<typeof noukaiScope>[0]) {
  const app = express();
  app.use(noukaiScope(options));
  app.get("/hello", async (_req, res, next) => {
    try {
      res.json({ result: await kit.hello("hello") });
    } catch (error) {
      next(error);
    }
  });
  app.get("/twice", async (_req, res, next) => {
    try {
      await kit.hello("first");
      res.json({ result: await kit.hello("second") });
    } catch (error) {
      next(error);
    }
  });
  app.get("/stream", async (_req, res, next) => {
    try {
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.flushHeaders();
      for (const word of ["one", "two"]) {
        // Each call is made after the headers went out, while the body streams.
        if (!res.write(PADDING)) await new Promise((resolve) => res.once("drain", resolve));
        res.write(`${await kit.hello(word)}\n`);
        kit.trail.push(`wrote ${word}`);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      res.end();
    } catch (error) {
      next(error);
    }
  });
  app.use(noukaiReplayErrors());
  return app;
}

for (const [name, express] of EXPRESSES) {
  describeScopeAdapter(name, async (kit, options) => serveNode(scopeApp(express, kit, options)));
}

describe("the official Express middleware (@noukai/sdk 0.3.0), beside ours", () => {
  it.each(EXPRESSES)("%s: the official one passes a function to next(), so the route never runs and every request is a 500; ours runs it", async (_name, express) => {
    let routeRuns = 0;
    const official = express();
    const officialMiddleware = noukaiTraceMiddleware({ client: new OfficialNoukai({ apiKey: "nk_official", env: "dev" }) });
    // Called exactly as Express calls any middleware (its declared types are narrower than Express's own).
    official.use((req, res, next) => void Reflect.apply(officialMiddleware, undefined, [req, res, next]));
    official.get("/hello", (_req, res) => {
      routeRuns += 1;
      res.json({ ok: true });
    });
    const ours = express();
    ours.use(noukaiScope());
    ours.get("/hello", (_req, res) => {
      routeRuns += 1;
      res.json({ ok: true });
    });
    const [officialServer, ourServer] = await Promise.all([serveNode(official), serveNode(ours)]);
    try {
      const officialAnswer = await fetch(`${officialServer.url}/hello`);
      expect(officialAnswer.status).toBe(500);
      expect(routeRuns).toBe(0);
      const ourAnswer = await fetch(`${ourServer.url}/hello`);
      expect([ourAnswer.status, await ourAnswer.json()]).toEqual([200, { ok: true }]);
      expect(ourAnswer.headers.get("x-noukai-session")).toMatch(/^[0-9a-f-]{36}$/);
      expect(routeRuns).toBe(1);
    } finally {
      await Promise.all([officialServer.close(), ourServer.close()]);
    }
  });
});

describe("the relay as an Express route", () => {
  const service = useRelayService();
  const relay = (extra: object = {}) => noukaiRelay({ client: service.client(), flow: WEATHER, secret: SECRET, authorize: () => true, prepare: () => ({ tools: WEATHER_TOOLS }), ...extra });

  it.each(EXPRESSES)("%s: whole answers and streams, the tool answered by the page", async (_name, express) => {
    const app = express();
    app.post("/api/weather", relay());
    const server = await serveNode(app);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather` });
      expect(await flow.execute({ message: "Weather in Lisbon", toolHandler: weatherHandler })).toMatchObject({ status: "completed" });
      const types: string[] = [];
      for await (const event of flow.events({ message: "Weather in Porto", toolHandler: weatherHandler })) types.push(event.type);
      expect(types).toEqual(["run_started", "step_started", "tool_calls_required", "step_output", "step_completed", "flow_completed"]);
    } finally {
      await server.close();
    }
  });

  it("works behind a body parser mounted first, with its bounds, though authorize then comes after the read", async () => {
    const app = express5();
    app.use(express5.json());
    app.post("/api/weather", relay({ browserFields: [] }));
    const server = await serveNode(app);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather` });
      expect(await flow.execute({ message: "Weather in Lisbon", toolHandler: weatherHandler })).toMatchObject({ status: "completed" });
      const refused = await fetch(`${server.url}/api/weather`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "x", parameters: { admin: true } }) });
      expect(refused.status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it("refuses an unauthorized request before reading its body: a gigabyte announced, the refusal comes at once, the connection closes", async () => {
    const app = express5();
    app.post("/api/weather", relay({ authorize: () => false }));
    const server = await serveNode(app);
    let bytesRead = 0;
    server.server.on("connection", (socket) => socket.on("close", () => (bytesRead += socket.bytesRead)));
    try {
      const outcome = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
        const { port } = server.server.address() as AddressInfo;
        const request = httpRequest({ host: "127.0.0.1", port, path: "/api/weather", method: "POST", headers: { "content-type": "application/json", "content-length": String(1024 ** 3) } });
        request.on("response", (response) => {
          response.resume();
          response.on("end", () => request.socket?.once("close", () => resolve({ status: response.statusCode ?? 0, closed: true })));
        });
        request.on("error", reject);
        const chunk = Buffer.alloc(16 * 1024, 32);
        // Keeps sending until the server's answer ends the exchange.
        const timer = setInterval(() => request.write(chunk), 5);
        request.on("close", () => clearInterval(timer));
      });
      expect(outcome).toEqual({ status: 403, closed: true });
      await expect.poll(() => bytesRead).toBeGreaterThan(0);
      expect(bytesRead).toBeLessThan(8 * 1024 ** 2);
    } finally {
      await server.close();
    }
  });

  it("counts the rate limit by the client's address (req.ip) by default", async () => {
    const app = express5();
    app.post("/api/weather", relay({ rateLimit: { requests: 1, windowMs: 60_000 } }));
    const server = await serveNode(app);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather` });
      await flow.execute({ message: "Weather in Lisbon" });
      await expect(flow.execute({ message: "Weather in Lisbon" })).rejects.toMatchObject({ name: "RateLimitError", code: "RATE_LIMITED" });
    } finally {
      await server.close();
    }
  });
});
