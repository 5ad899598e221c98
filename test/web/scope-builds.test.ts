import { createRequire } from "node:module";
import express from "express";
import type * as NoukaiPackage from "noukai";
import type { Middleware } from "noukai";
import type * as ExpressAdapter from "noukai/express";
import { noukaiScope as esmExpressScope } from "noukai/express";
import { withNoukaiScope as esmFetchScope } from "noukai/fetch";
import { AsyncNoukai as EsmAsyncNoukai, currentSessionId as esmCurrentSessionId } from "noukai";
import { describe, expect, it } from "vitest";
import { HELLO } from "./support/scope-scenarios.js";
import { serveFetch, serveNode } from "./support/serve.js";
import { RELAY_KEY, useRelayService } from "./support/relay-service.js";

/**
 * The package's two builds in one process, as when an app imports an
 * adapter while a library it uses requires the client (or the other way
 * round): a scope opened by one build tags the calls of a client made by
 * the other, and takes that client as its `client`.
 */
const require = createRequire(import.meta.url);
const cjs = require("noukai") as typeof NoukaiPackage;
const cjsExpress = require("noukai/express") as typeof ExpressAdapter;

/** The session each call was sent with, as the client's own middleware sees it. */
function sessionsSent(): { seen: (string | null)[]; middleware: Middleware[] } {
  const seen: (string | null)[] = [];
  return { seen, middleware: [{ name: "sent", onRequest: (request) => void seen.push(request.headers["x-session-id"] ?? null) }] };
}

describe("a scope of one build and a client of the other", () => {
  const service = useRelayService();

  it("the two builds are distinct copies (what makes the rest worth testing)", () => {
    expect(cjs.AsyncNoukai).not.toBe(EsmAsyncNoukai);
  });

  it.each([false, true])("ES module withNoukaiScope, CommonJS client (given as { client }: %s): the call carries the session the response names, and is captured", async (given) => {
    const sent = sessionsSent();
    const client = new cjs.AsyncNoukai({ apiKey: RELAY_KEY, baseUrl: service.server.baseUrl, maxRetries: 0, middleware: sent.middleware });
    try {
      const handler = esmFetchScope(async () => Response.json(await client.flow(HELLO).execute({ message: "hi" })), given ? { client } : {});
      const served = await serveFetch(handler);
      try {
        const answer = await fetch(`${served.url}/`);
        expect(answer.status).toBe(200);
        const session = answer.headers.get("x-noukai-session");
        expect(sent.seen).toEqual([session]);
        expect((await client.session(String(session))).executions).toHaveLength(1);
      } finally {
        await served.close();
      }
    } finally {
      await client.close();
    }
  });

  it("CommonJS Express noukaiScope, ES module client given as { client }: the call is captured, and currentSessionId() of either build sees the scope's id inside the route", async () => {
    const sent = sessionsSent();
    const client = new EsmAsyncNoukai({ apiKey: RELAY_KEY, baseUrl: service.server.baseUrl, maxRetries: 0, middleware: sent.middleware });
    try {
      const app = express();
      app.use(cjsExpress.noukaiScope({ client }));
      app.get("/", async (_req, res, next) => {
        try {
          await client.flow(HELLO).execute({ message: "hi" });
          res.json({ seen: cjs.currentSessionId(), seenByTheOtherBuild: esmCurrentSessionId() });
        } catch (error) {
          next(error);
        }
      });
      const served = await serveNode(app);
      try {
        const answer = await fetch(`${served.url}/`);
        const session = answer.headers.get("x-noukai-session");
        expect(await answer.json()).toEqual({ seen: session, seenByTheOtherBuild: session });
        expect(sent.seen).toEqual([session]);
        expect((await client.session(String(session))).executions).toHaveLength(1);
      } finally {
        await served.close();
      }
    } finally {
      await client.close();
    }
  });

  it("outside any scope, neither build sees one", () => {
    expect([esmCurrentSessionId(), cjs.currentSessionId()]).toEqual([null, null]);
    expect(() => esmExpressScope()).not.toThrow();
  });
});
