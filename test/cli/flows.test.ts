import { createServer } from "node:http";
import { once } from "node:events";
import { startServer } from "noukai/server";
import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli, KEY } from "./helpers.js";

const GREET = { org: "dev", project: "local", slug: "greet", name: "Greeter", draft: { steps: [{ id: "only", template: "hi {{message}}" }] } };
const local = useLocalServer({ flows: [GREET], apiKeys: [{ key: KEY }, { key: "nk_scoped", org: "dev" }] });

describe("noukai flows", () => {
  it("lists the flows a local server serves, as a table or one JSON line each", async () => {
    const table = await cli(["flows", ...at(local.baseUrl)]);
    expect(table.code).toBe(0);
    expect(table.out[0]).toMatch(/^FLOW\s+STEPS\s+VERSIONS\s+NAME$/);
    expect(table.out).toContainEqual(expect.stringMatching(/^examples\/demo\/two-step\s+2\s+draft, 1 \(production 1\)/));
    expect(table.out).toContainEqual(expect.stringMatching(/^dev\/local\/greet\s+1\s+draft\s+Greeter$/));
    const json = await cli(["flows", "--json", ...at(local.baseUrl, "nk_scoped")]);
    expect(json.out.map((line) => JSON.parse(line) as unknown)).toEqual([{ org: "dev", project: "local", slug: "greet", name: "Greeter", steps: 1, versions: [], production: null }]);
  });

  it("fails as any call does: a refused key exits 3, no server exits 7 with the hint, --debug shows the exchange", async () => {
    expect((await cli(["flows", ...at(local.baseUrl, "nk_unknown")])).code).toBe(3);
    const gone = await startServer({ port: 0 });
    await gone.close();
    const host = new URL(gone.baseUrl).host;
    const unreached = await cli(["flows", ...at(gone.baseUrl)]);
    expect(unreached.code).toBe(7);
    expect(unreached.err[0]).toBe(
      `noukai: APIConnectionError (ECONNREFUSED): GET /local/flows failed before any response arrived (ECONNREFUSED); cannot reach ${host}: nothing listens there; is noukai dev running on ${host}? Start it with: noukai dev --port ${new URL(gone.baseUrl).port}`,
    );
    const debug = await cli(["flows", "--debug", ...at(local.baseUrl)]);
    expect(debug.err).toEqual([`debug: → GET ${local.baseUrl}/local/flows`, "debug:   authorization: Bearer nk_…[redacted]", expect.stringMatching(/^debug: ← 200 GET \/local\/flows \(\d+ ms\)$/)]);
  });

  it("says a server without the listing is not a local server (the hosted service has none)", async () => {
    // A server that answers every path 404, as the hosted service answers this one.
    const hosted = createServer((_request, response) => {
      response.writeHead(404, { "content-type": "application/json" }).end('{"detail":{"code":"NOT_FOUND","message":"Not Found"}}');
    }).listen(0, "127.0.0.1");
    await once(hosted, "listening");
    try {
      const { port } = hosted.address() as { port: number };
      const run = await cli(["flows", ...at(`http://127.0.0.1:${port}/api/v1`)]);
      expect(run).toMatchObject({
        code: 4,
        err: [`noukai: 127.0.0.1:${port} has no flow listing: noukai flows asks a local server (noukai dev) for the flows it serves; the hosted service has none`],
      });
    } finally {
      hosted.close();
    }
  });
});
