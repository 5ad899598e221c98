import express from "express";
import { noukaiScope as expressScope, noukaiReplayErrors } from "noukai/express";
import { noukaiScope as fastifyScope } from "noukai/fastify";
import { withNoukaiScope } from "noukai/fetch";
import { noukaiScope as honoScope } from "noukai/hono";
import { withNoukaiScope as nextScope } from "noukai/next";
import { afterEach, describe, expect, it } from "vitest";
import { serveFetch, serveNode } from "./support/serve.js";
import { useRelayService } from "./support/relay-service.js";

/**
 * What every scope adapter makes of its options and of its handler's
 * answer: a mistake is refused when the adapter is made, naming it, and a
 * replay the app cannot serve is a typed JSON refusal, not a server error.
 */
afterEach(() => {
  delete process.env["NOUKAI_REPLAY_ENABLED"];
});

const ADAPTERS: [string, (options: unknown) => unknown][] = [
  ["noukai/express noukaiScope", (options) => expressScope(options as never)],
  ["noukai/fastify noukaiScope", (options) => fastifyScope(options as never)],
  ["noukai/hono noukaiScope", (options) => honoScope(options as never)],
  ["noukai/fetch withNoukaiScope", (options) => withNoukaiScope(() => new Response("ok"), options as never)],
  ["noukai/next withNoukaiScope", (options) => nextScope(() => new Response("ok"), options as never)],
];

describe("scope options, checked when the adapter is made", () => {
  it.each(ADAPTERS)("%s refuses a misspelt name, a bad value, a non-client and a non-object, naming each", (_name, make) => {
    expect(() => make({ clinet: {} })).toThrow(expect.objectContaining({ name: "ValueError", message: expect.stringMatching(/\(\) has no option "clinet"; it takes client, match, leftovers, onLog, onError\.$/) as unknown }));
    expect(() => make({ match: "bogus" })).toThrow(/\(\) option match must be "order" or "input", got "bogus"\./);
    expect(() => make({ leftovers: "nope" })).toThrow(/\(\) option leftovers must be "error", "warn" or "ignore", got "nope"\./);
    expect(() => make({ onLog: 5 })).toThrow(expect.objectContaining({ name: "TypeError", message: expect.stringMatching(/\(\) option onLog must be a function, got number 5\./) as unknown }));
    expect(() => make({ onError: "log" })).toThrow(/\(\) option onError must be a function, got "log"\./);
    expect(() => make({ client: { session: () => undefined } })).toThrow(expect.objectContaining({ name: "TypeError", message: expect.stringMatching(/\(\) option client must be an AsyncNoukai or a Noukai, got an object\./) as unknown }));
    expect(() => make(null)).toThrow(expect.objectContaining({ name: "TypeError", message: expect.stringMatching(/\(\) takes an options object, got null\./) as unknown }));
  });

  it.each(ADAPTERS)("%s takes no options, or each option left undefined", (_name, make) => {
    expect(() => make(undefined)).not.toThrow();
    expect(() => make({ client: undefined, match: undefined, onLog: undefined })).not.toThrow();
  });
});

describe("a replay asked of a scope that was given no client", () => {
  it("Express: a well-formed session id is refused with 403 replay_forbidden as JSON, naming the missing client; a malformed one stays 400", async () => {
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    const app = express();
    app.use(expressScope());
    app.get("/", (_req, res) => res.json({ ran: true }));
    app.use(noukaiReplayErrors());
    const served = await serveNode(app);
    try {
      const refused = await fetch(`${served.url}/`, { headers: { "x-noukai-replay": "3f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f" } });
      expect([refused.status, refused.headers.get("content-type"), await refused.json()]).toEqual([
        403,
        "application/json; charset=utf-8",
        { error: "replay_forbidden", message: expect.stringMatching(/was given no client .*\{ client \}/) as unknown },
      ]);
      const malformed = await fetch(`${served.url}/`, { headers: { "x-noukai-replay": "not-a-uuid" } });
      expect([malformed.status, ((await malformed.json()) as { error: string }).error]).toEqual([400, "replay_invalid_session"]);
      const plain = await fetch(`${served.url}/`);
      expect([plain.status, await plain.json()]).toEqual([200, { ran: true }]);
    } finally {
      await served.close();
    }
  });

  it("fetch: the same refusal, as a JSON Response", async () => {
    process.env["NOUKAI_REPLAY_ENABLED"] = "1";
    const handler = withNoukaiScope(() => new Response("ran"));
    const refused = await handler(new Request("http://app/", { headers: { "x-noukai-replay": "3f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f" } }));
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([403, "replay_forbidden"]);
  });

  it("without NOUKAI_REPLAY_ENABLED the header is ignored as before: the request is captured", async () => {
    const handler = withNoukaiScope(() => new Response("ran"));
    const answer = await handler(new Request("http://app/", { headers: { "x-noukai-replay": "3f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f" } }));
    expect([answer.status, await answer.text()]).toEqual([200, "ran"]);
    expect(answer.headers.get("x-noukai-session")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the handler's answer (withNoukaiScope)", () => {
  const service = useRelayService();

  it("is accepted when it is a Response of another class than the global one (a server that swaps the global Response, as @hono/node-server 1.x did)", async () => {
    const client = service.client();
    const handler = withNoukaiScope(async () => Response.json(await client.flow("examples/demo/hello").execute({ message: "hi" })), { client });
    const served = await serveFetch(handler);
    const original = globalThis.Response;
    // Response.json() still makes an instance of the original class, as fetch() does: not an instance of the new global.
    globalThis.Response = class Response extends original {};
    try {
      const answer = await fetch(`${served.url}/`);
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { result: string }).result).toBe("Hello! You said: hi");
      expect((await client.session(String(answer.headers.get("x-noukai-session")))).executions).toHaveLength(1);
    } finally {
      globalThis.Response = original;
      await served.close();
    }
  });

  it("passes Response.error() as it is, and names a status no Response can have instead of failing with a RangeError", async () => {
    const failed = await withNoukaiScope(() => Response.error())(new Request("http://app/"));
    expect([failed.type, failed.status]).toEqual(["error", 0]);
    const odd = { status: 600, headers: new Headers(), body: null };
    await expect(withNoukaiScope(() => odd as unknown as Response)(new Request("http://app/"))).rejects.toThrow(
      new TypeError("The handler answered with status 600; a Response's status is from 200 to 599."),
    );
  });

  it.each([
    [{ ok: true }, "a plain object without status, headers, body"],
    [new Map(), "an instance of Map without status, headers, body"],
    [{ status: 200, headers: {}, body: "text" }, "a plain object whose status, headers or body are not a Response's"],
    [undefined, "undefined"],
    ["text", '"text"'],
  ])("refuses anything else, naming what it got: %o", async (returned, named) => {
    const handler = withNoukaiScope(() => returned as unknown as Response);
    await expect(handler(new Request("http://app/"))).rejects.toThrow(new TypeError(`The handler wrapped by withNoukaiScope() must return a Response, got ${named}.`));
  });
});
