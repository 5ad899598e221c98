/**
 * The build that browsers and edge runtimes resolve (`browser`, `worker`,
 * `workerd`, `edge-light` conditions): no `node:` module, `fetch` as the
 * transport, and a blocking client that explains why it cannot exist there.
 */
import { readFileSync } from "node:fs";
import type * as NoukaiPackage from "noukai";
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";

const local = useLocalServer();
const browserBuild = new URL("../../dist/index.browser.js", import.meta.url);

describe("the browser build", () => {
  it("loads no node: module", () => {
    expect(readFileSync(browserBuild, "utf8")).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });

  it("runs AsyncNoukai over fetch", async () => {
    const { AsyncNoukai } = (await import(browserBuild.href)) as typeof NoukaiPackage;
    const client = new AsyncNoukai({ apiKey: TEST_KEY, baseUrl: local.baseUrl });
    expect(await client.flow("examples/demo/hello").execute({ message: "from a browser" })).toMatchObject({ status: "completed" });
    const types: string[] = [];
    for await (const event of client.flow("examples/demo/two-step").events({ message: "x", runRemaining: true })) types.push(event.type);
    expect(types.at(-1)).toBe("flow_completed");
    await client.close();
  });

  it("refuses the blocking client, naming AsyncNoukai", async () => {
    const { Noukai } = (await import(browserBuild.href)) as typeof NoukaiPackage;
    expect(() => new Noukai({ apiKey: TEST_KEY })).toThrow(TypeError);
    expect(() => new Noukai({ apiKey: TEST_KEY })).toThrow(/Use AsyncNoukai/);
    // Before any option is looked at: no key, no "missing key" error, just the reason it cannot exist here.
    expect(() => new Noukai()).toThrow(/Use AsyncNoukai/);
  });

  it("refuses fetchModule, which needs a module import at run time, naming fetch", async () => {
    const { AsyncNoukai, ValueError } = (await import(browserBuild.href)) as typeof NoukaiPackage;
    expect(() => new AsyncNoukai({ apiKey: TEST_KEY, fetchModule: "file:///service.mjs" })).toThrow(ValueError);
    expect(() => new AsyncNoukai({ apiKey: TEST_KEY, fetchModule: "file:///service.mjs" })).toThrow(/pass fetch instead/);
  });
});
