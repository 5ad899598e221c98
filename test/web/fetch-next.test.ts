import { Noukai as OfficialNoukai } from "@noukai/sdk";
import { withNoukaiTrace } from "@noukai/sdk/adapters/nextjs";
import { withNoukaiScope as fetchScope } from "noukai/fetch";
import { noukaiRelay, withNoukaiScope } from "noukai/next";
import { createRelayFlow } from "noukai/relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeScopeAdapter, HELLO, lazyBody, type RouteKit } from "./support/scope-scenarios.js";
import { serveFetch } from "./support/serve.js";
import { SECRET, useRelayService, WEATHER, WEATHER_TOOLS, weatherHandler } from "./support/relay-service.js";

/**
 * `(Request) => Response` handlers, served by @hono/node-server as Bun,
 * Deno and workers serve them, and Next.js App Router route handlers, which
 * have that shape plus a context argument: tested without a Next.js build
 * (a route handler is a function of a Request; Next.js itself is a 100 MB
 * install with a native compiler, too heavy for this suite's CI budget).
 */
function routes(kit: RouteKit): (request: Request) => Promise<Response> {
  return async (request) => {
    switch (new URL(request.url).pathname) {
      case "/hello":
        return Response.json({ result: await kit.hello("hello") });
      case "/twice":
        await kit.hello("first");
        return Response.json({ result: await kit.hello("second") });
      case "/stream":
        return new Response(lazyBody(kit), { headers: { "content-type": "text/plain; charset=utf-8" } });
      default:
        return new Response("not found", { status: 404 });
    }
  };
}

describeScopeAdapter("fetch handler", async (kit, options) => serveFetch(fetchScope(routes(kit), options)));
describeScopeAdapter("Next.js route handler", async (kit, options) => {
  const handler = routes(kit);
  const GET = withNoukaiScope(async (request: Request, context: { params: Promise<Record<string, string>> }) => {
    expect(await context.params).toEqual({ route: "test" });
    return handler(request);
  }, options);
  return serveFetch((request) => GET(request, { params: Promise.resolve({ route: "test" }) }));
});

describe("the official Next.js wrapper (@noukai/sdk 0.3.0), beside ours", () => {
  const service = useRelayService();
  const DEV_ORIGIN = "http://localhost:8080";
  const realFetch = globalThis.fetch;

  // The official client reaches http://localhost:8080 only (env "dev"): its requests go to the local server's port instead.
  beforeAll(() => {
    const target = new URL(service.server.baseUrl).origin;
    globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      return realFetch(url.startsWith(DEV_ORIGIN) ? target + url.slice(DEV_ORIGIN.length) : input, init);
    };
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  /** A route that calls the flow once before answering, and once more from its body's pull as the server reads past the first chunk. */
  const route = (call: (message: string) => Promise<unknown>) => async () => {
    await call("before the answer");
    const chunks: (() => Promise<string>)[] = [async () => "started\n", async () => {
      await call("while streaming");
      return "done";
    }];
    return new Response(new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(await next()));
      },
    }));
  };

  it("closes its scope when the handler returns: the call the body makes later is left out of the session it named; ours keeps it in", async () => {
    const official = new OfficialNoukai({ apiKey: "nk_official", env: "dev", maxRetries: 0 });
    const ours = service.client();
    const officialHandler = withNoukaiTrace(route((message) => official.flow(HELLO).execute({ message })), { client: official });
    const ourHandler = withNoukaiScope(route((message) => ours.flow(HELLO).execute({ message })), { client: ours });
    const sessions: Record<string, number> = {};
    for (const [name, handler] of [["official", officialHandler], ["ours", ourHandler]] as const) {
      const server = await serveFetch((request) => handler(request));
      try {
        const response = await realFetch(`${server.url}/`);
        expect(await response.text()).toBe("started\ndone");
        const session = await ours.session(response.headers.get("x-noukai-session") ?? "");
        sessions[name] = session.executions.length;
      } finally {
        await server.close();
      }
    }
    expect(sessions).toEqual({ official: 1, ours: 2 });
  });
});

describe("the relay as a fetch handler and a Next.js POST route", () => {
  const service = useRelayService();

  it("runs whole answers and streams", async () => {
    const POST = noukaiRelay({ client: service.client(), flow: WEATHER, secret: SECRET, authorize: () => true, prepare: () => ({ tools: WEATHER_TOOLS }) });
    const server = await serveFetch(POST);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather` });
      expect(await flow.execute({ message: "Weather in Lisbon", toolHandler: weatherHandler })).toMatchObject({ status: "completed" });
      const steps: string[] = [];
      for await (const step of flow.steps({ message: "Weather in Porto", toolHandler: weatherHandler })) steps.push(String(step.output));
      expect(steps).toEqual(['Weather in Porto: {"location":"Porto","sky":"sunny","answeredBy":"page"}']);
    } finally {
      await server.close();
    }
  });
});
