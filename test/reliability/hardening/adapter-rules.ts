import type { HardeningRow } from "./row.js";

/** The web adapters' half of the hardening table in RELIABILITY.md: each fault, the rule that stops it, the test that proves it. */
export const ADAPTER_RULES: HardeningRow[] = [
  {
    finding: "Express and Fastify ended a request's scope when the connection closed, also when the caller disconnected while the handler ran: in a replay its later calls ran live on the service, and onError got a ReplayLeftoverError",
    rule: "A Node scope lasts until the app has ended the response AND the connection is closed (after a disconnect it waits for the app's end(), at most 10 minutes): calls made after a disconnect are still replayed or captured",
    test: "test/web/scope-lifetime.test.ts › Express 5: the handler's calls after the disconnect are still replayed, not run live, and nothing is reported (also Express 4, Fastify 5)",
  },
  {
    finding: "An Express route reading its body with req.on(\"data\" / \"end\") (busboy, multer, formidable style) ran its end callback outside the scope when the body came after the headers: the session the response named was empty",
    rule: "The Express scope emits the request's events in the request's scope, whatever context the socket's reads carry",
    test: "test/web/scope-lifetime.test.ts › Express 5: the end callback runs in the scope when the body comes after the headers, and its call is captured (also Express 4)",
  },
  {
    finding: "Hono answers HEAD by running GET and dropping the body the scope wrapped: the scope never ended (3,000 HEAD requests, 3,000 open scopes), no scope_close, leftovers never reported",
    rule: "A scope ends when its response is over even unread: at once for a HEAD request or a 204/205/304 (the handler's body is cancelled); a body with no first read within 60 s of the answer is cancelled and its scope ends",
    test: "test/web/scope-lifetime.test.ts › Hono: a HEAD request (Hono runs GET and drops its body) closes its scope, and a replay's leftovers are reported",
  },
  {
    finding: "The ES module and CommonJS builds each kept their own scope store and client registry: a client from require(\"noukai\") under an adapter imported as a module was silently not captured, or refused as { client }",
    rule: "One scope store and one client registry per process, shared by both builds (on globalThis under a versioned Symbol.for key; the registry holds only the client's onLog, never its key)",
    test: "test/web/scope-builds.test.ts › ES module withNoukaiScope, CommonJS client (given as { client }: true): the call carries the session the response names, and is captured",
  },
  {
    finding: "Scope options were checked at each request: { match: \"bogus\" }, null, { clinet }, { onLog: 5 } accepted when made; a replay id with no client was a 500 (an HTML stack page on Express); edge builds refused scopes only at the first request",
    rule: "Every scope adapter checks its options when made (unknown names, values, client, hooks; edge builds refuse scopes there); a replay asked of a scope with no client is 403 replay_forbidden JSON",
    test: "test/web/scope-options.test.ts › noukai/express noukaiScope refuses a misspelt name, a bad value, a non-client and a non-object, naming each (and each adapter; a well-formed session id is refused with 403)",
  },
  {
    finding: "withNoukaiScope checked instanceof the global Response: a server that swaps the global (@hono/node-server 1.x) made every real Response a 500 with an empty body and \"got object\"",
    rule: "The handler's answer is recognised by shape (status, headers, body), not class; anything else is refused naming what it was",
    test: "test/web/scope-options.test.ts › is accepted when it is a Response of another class than the global one (a server that swaps the global Response, as @hono/node-server 1.x did)",
  },
  {
    finding:
      "(found while attacking the fixes) An Express route that answered a replayed request, then called the flow 50 ms later, ran that call live on the service; withNoukaiScope of a handler returning Response.error() (status 0) threw a raw RangeError",
    rule: "A call made after a replayed request's scope ended is refused with ReplayMissError, never run live (see record and replay); Response.error() passes as it is, and a status no Response can have is a TypeError naming it",
    test: "test/web/scope-lifetime.test.ts › Express 5: on a replayed request, a call made after the response is refused…; test/web/scope-options.test.ts › passes Response.error() as it is…",
  },
];
