import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import Fastify, { type FastifyInstance } from "fastify";
import { noukaiRelay, noukaiScope } from "noukai/fastify";
import { createRelayFlow } from "noukai/relay";
import { describe, expect, it } from "vitest";
import { describeScopeAdapter, PADDING } from "./support/scope-scenarios.js";
import { SECRET, useRelayService, WEATHER, WEATHER_TOOLS, weatherHandler } from "./support/relay-service.js";

/** Fastify 5 on a loopback port: the scope plugin and the relay plugin. */
async function listen(app: FastifyInstance): Promise<{ url: string; close(): Promise<void> }> {
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: address, close: () => app.close() };
}

describeScopeAdapter("Fastify 5", async (kit, options) => {
  const app = Fastify();
  await app.register(noukaiScope(options));
  app.get("/hello", async () => ({ result: await kit.hello("hello") }));
  app.get("/twice", async () => {
    await kit.hello("first");
    return { result: await kit.hello("second") };
  });
  app.get("/stream", (_request, reply) => {
    // A generator Fastify pipes to the socket: its calls run as the socket drains, after the handler returned.
    async function* words() {
      for (const word of ["one", "two"]) {
        yield PADDING;
        yield `${await kit.hello(word)}\n`;
        kit.trail.push(`wrote ${word}`);
      }
    }
    return reply.type("text/plain; charset=utf-8").send(Readable.from(words()));
  });
  return listen(app);
});

describe("Fastify 5: a route with a body", () => {
  const service = useRelayService();

  it("runs in the scope too, though Fastify calls it from the body's end event, which comes later", async () => {
    const client = service.client();
    const app = Fastify();
    await app.register(noukaiScope());
    app.post("/hello", async (request) => {
      const result = await client.flow("examples/demo/hello").execute({ message: (request.body as { message: string }).message });
      return { result: result.requiresToolCalls ? null : result.result };
    });
    const server = await listen(app);
    try {
      const { port } = app.server.address() as AddressInfo;
      const answer = await new Promise<{ session: string; body: string }>((resolve, reject) => {
        const request = httpRequest({ host: "127.0.0.1", port, path: "/hello", method: "POST", headers: { "content-type": "application/json", "content-length": "20" } });
        request.on("response", (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          response.on("end", () => resolve({ session: String(response.headers["x-noukai-session"]), body }));
        });
        request.on("error", reject);
        // The headers first; the body a moment later, so that it ends in an event of its own.
        request.flushHeaders();
        setTimeout(() => request.end('{"message":"posted"}'), 100);
      });
      expect(JSON.parse(answer.body)).toEqual({ result: "Hello! You said: posted" });
      expect((await client.session(answer.session)).executions).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe("the relay as a Fastify plugin", () => {
  const service = useRelayService();
  const relay = (extra: object = {}) => noukaiRelay({ path: "/api/weather", client: service.client(), flow: WEATHER, secret: SECRET, authorize: () => true, prepare: () => ({ tools: WEATHER_TOOLS }), ...extra });

  it("runs whole answers and streams, beside the app's own JSON routes", async () => {
    const app = Fastify();
    await app.register(relay());
    app.post("/echo", async (request) => request.body);
    const server = await listen(app);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather` });
      expect(await flow.execute({ message: "Weather in Lisbon", toolHandler: weatherHandler })).toMatchObject({ status: "completed" });
      const steps = [];
      for await (const step of flow.steps({ message: "Weather in Porto", toolHandler: weatherHandler })) steps.push(step.stepId);
      expect(steps).toEqual(["forecast"]);
      // The relay's plugin leaves the app's parsers alone.
      const echo = await fetch(`${server.url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
      expect(await echo.json()).toEqual({ a: 1 });
    } finally {
      await server.close();
    }
  });

  it("refuses an unauthorized request before reading its body, and closes the connection", async () => {
    const app = Fastify();
    await app.register(relay({ authorize: () => false }));
    const server = await listen(app);
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const { port } = app.server.address() as AddressInfo;
        const request = httpRequest({ host: "127.0.0.1", port, path: "/api/weather", method: "POST", headers: { "content-type": "application/json", "content-length": String(1024 ** 3) } });
        request.on("response", (response) => {
          expect(response.headers["connection"]).toBe("close");
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        });
        request.on("error", reject);
        request.write(Buffer.alloc(4096, 32));
      });
      expect(status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it("counts the rate limit by request.ip by default", async () => {
    const app = Fastify();
    await app.register(relay({ rateLimit: { requests: 1, windowMs: 60_000 } }));
    const server = await listen(app);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather` });
      await flow.execute({ message: "Weather in Lisbon" });
      await expect(flow.execute({ message: "Weather in Lisbon" })).rejects.toMatchObject({ name: "RateLimitError" });
    } finally {
      await server.close();
    }
  });
});
