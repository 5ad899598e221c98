import { Hono } from "hono";
import { noukaiRelay, noukaiScope } from "noukai/hono";
import { createRelayFlow } from "noukai/relay";
import { describe, expect, it } from "vitest";
import { describeScopeAdapter, lazyBody } from "./support/scope-scenarios.js";
import { serveFetch } from "./support/serve.js";
import { SECRET, useRelayService, WEATHER, WEATHER_TOOLS, weatherHandler } from "./support/relay-service.js";

/** Hono 4, served on a loopback port by @hono/node-server: the scope middleware and the relay handler. */
describeScopeAdapter("Hono 4", async (kit, options) => {
  const app = new Hono();
  app.use(noukaiScope(options));
  app.get("/hello", async (c) => c.json({ result: await kit.hello("hello") }));
  app.get("/twice", async (c) => {
    await kit.hello("first");
    return c.json({ result: await kit.hello("second") });
  });
  app.get("/stream", (c) => c.body(lazyBody(kit), 200, { "content-type": "text/plain; charset=utf-8" }));
  return serveFetch(app.fetch);
});

describe("the relay as a Hono handler", () => {
  const service = useRelayService();

  it("runs whole answers and streams, authorize and rateLimit.key seeing Hono's context", async () => {
    const seen: string[] = [];
    const app = new Hono();
    app.post(
      "/api/weather",
      noukaiRelay({
        client: service.client(),
        flow: WEATHER,
        secret: SECRET,
        authorize: (c) => c.req.header("x-page") === "weather",
        prepare: (c) => {
          seen.push(c.req.path);
          return { tools: WEATHER_TOOLS };
        },
        rateLimit: { requests: 100, windowMs: 60_000, key: (c) => c.req.header("x-page") },
      }),
    );
    const server = await serveFetch(app.fetch);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather`, headers: { "x-page": "weather" } });
      expect(await flow.execute({ message: "Weather in Lisbon", toolHandler: weatherHandler })).toMatchObject({ status: "completed" });
      const types: string[] = [];
      for await (const event of flow.events({ message: "Weather in Porto", toolHandler: weatherHandler })) types.push(event.type);
      expect(types.at(-1)).toBe("flow_completed");
      expect(seen).toEqual(["/api/weather", "/api/weather"]);
      await expect(createRelayFlow({ url: `${server.url}/api/weather` }).execute({ message: "x" })).rejects.toMatchObject({ name: "PermissionDeniedError", code: "FORBIDDEN" });
    } finally {
      await server.close();
    }
  });
});
