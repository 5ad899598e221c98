import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import type * as NoukaiPackage from "noukai";
import type * as FetchAdapter from "noukai/fetch";
import type * as HonoAdapter from "noukai/hono";
import type * as RelayClient from "noukai/relay";
import { describe, expect, it } from "vitest";
import { serveFetch } from "./support/serve.js";
import { RELAY_KEY, SECRET, useRelayService, WEATHER, WEATHER_TOOLS, weatherHandler } from "./support/relay-service.js";

/**
 * What each entry point loads: the client's own entries none of the web
 * frameworks, each adapter nothing of its framework at run time (types
 * only), the relay's browser client and the edge builds nothing at all.
 */
const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const FRAMEWORKS = ["express", "express4", "fastify", "hono", "@hono/node-server", "next"];

/** Every module a built file loads, following the build's own chunks: bare names (packages and node: modules). */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  if (seen.has(file)) return found;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:^|[;\s])(?:import|export)\s*(?:[^"';]*?\s*from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|\brequire\(\s*["']([^"']+)["']\s*\)/gm)].map((match) => match[1] ?? match[2] ?? match[3] ?? "");
  for (const specifier of specifiers) {
    if (specifier.startsWith(".")) for (const inner of importsOf(join(dirname(file), specifier), seen)) found.add(inner);
    else if (specifier !== "") found.add(specifier);
  }
  return found;
}

describe("entry points", () => {
  it.each(["index.js", "index.cjs", "index.browser.js", "server.js", "cli.js"])("%s loads no web framework", (file) => {
    const loaded = [...importsOf(join(dist, file))];
    expect(loaded.filter((name) => FRAMEWORKS.some((framework) => name === framework || name.startsWith(`${framework}/`)))).toEqual([]);
  });

  it.each(["express.js", "express.cjs", "fastify.js", "fastify.cjs", "hono.js", "hono.cjs", "next.js", "fetch.js"])("%s loads nothing of its framework at run time", (file) => {
    const loaded = [...importsOf(join(dist, file))];
    expect(loaded.filter((name) => FRAMEWORKS.includes(name))).toEqual([]);
  });

  it.each(["relay.browser.js", "relay.js", "relay.cjs", "hono.edge.js", "fetch.edge.js", "next.edge.js"])("%s is self-contained: it loads no module at all", (file) => {
    expect([...importsOf(join(dist, file))]).toEqual([]);
  });

  it("lists the frameworks as optional peers, never as dependencies", () => {
    const pkg = JSON.parse(readFileSync(join(dist, "../package.json"), "utf8")) as Record<string, Record<string, unknown>>;
    for (const framework of ["express", "fastify", "hono"]) {
      expect(pkg["dependencies"]?.[framework]).toBeUndefined();
      expect(pkg["peerDependenciesMeta"]?.[framework]).toEqual({ optional: true });
    }
  });
});

describe("the edge build of noukai/hono, with the browser build of the client (as a worker bundles them)", () => {
  const service = useRelayService();

  it("runs the relay", async () => {
    const { noukaiRelay } = (await import(join(dist, "hono.edge.js"))) as typeof HonoAdapter;
    const { AsyncNoukai } = (await import(join(dist, "index.browser.js"))) as typeof NoukaiPackage;
    const { createRelayFlow } = (await import(join(dist, "relay.browser.js"))) as typeof RelayClient;
    const client = new AsyncNoukai({ apiKey: RELAY_KEY, baseUrl: service.server.baseUrl });
    const app = new Hono();
    app.post("/api/weather", noukaiRelay({ client, flow: WEATHER, secret: SECRET, authorize: () => true, prepare: () => ({ tools: WEATHER_TOOLS }) }));
    const server = await serveFetch(app.fetch);
    try {
      const flow = createRelayFlow({ url: `${server.url}/api/weather` });
      expect(await flow.execute({ message: "Weather in Lisbon", toolHandler: weatherHandler })).toMatchObject({ status: "completed" });
    } finally {
      await server.close();
      await client.close();
    }
  });

  it("refuses a scope when it is made, saying AsyncLocalStorage is what it lacks, not at the first request", async () => {
    const { noukaiScope } = (await import(join(dist, "hono.edge.js"))) as typeof HonoAdapter;
    const { withNoukaiScope } = (await import(join(dist, "fetch.edge.js"))) as typeof FetchAdapter;
    expect(() => noukaiScope()).toThrow(expect.objectContaining({ name: "ValueError", message: expect.stringMatching(/^noukaiScope\(\) needs AsyncLocalStorage/) as unknown }));
    expect(() => withNoukaiScope(() => new Response("ran"))).toThrow(expect.objectContaining({ name: "ValueError", message: expect.stringMatching(/^withNoukaiScope\(\) needs AsyncLocalStorage/) as unknown }));
  });

});
