/**
 * `noukai/hono`: Hono 4, on any runtime it runs on. Only Hono's types are
 * used; nothing of Hono is imported at run time.
 *
 * ```ts
 * app.use(noukaiScope({ client }));
 * app.post("/api/weather", noukaiRelay({ client, flow: "examples/demo/weather", secret, authorize: (c) => … }));
 * ```
 */
import type { Context, MiddlewareHandler } from "hono";
import { createRelayCore } from "../relay/server/relay-core.js";
import type { RelayOptions } from "../relay/server/options.js";
import { REPLAY_HEADER, replayIdOf, SESSION_HEADER } from "../scope/headers.js";
import { replayAnswer, replayResponse } from "../scope/replay-answer.js";
import { readInScope } from "../scope/read-in-scope.js";
import { checkScopeAdapterOptions } from "../scope/adapter-options.js";
import { inRequestScope, type ScopeAdapterOptions } from "../scope/request-scope.js";
import { incomingOfRequest } from "./fetch-incoming.js";

/**
 * Runs each request in a capture or replay scope until its response body
 * has been read to the end, with `X-Noukai-Session` on the response. A
 * replay error, opening the scope or thrown by a handler, becomes its JSON answer.
 */
export function noukaiScope(given?: ScopeAdapterOptions): MiddlewareHandler {
  const options = checkScopeAdapterOptions(given, "noukaiScope");
  return async (c, next) => {
    try {
      c.res = await inRequestScope(replayIdOf(c.req.header(REPLAY_HEADER)), options, async (sessionId) => {
        await next();
        // Hono turns a handler's throw into c.error and an error response: a replay error gets its own.
        const answer = replayAnswer(c.error);
        const response = answer === undefined ? c.res : replayResponse(answer);
        const read = readInScope(response, sessionId === null ? {} : { [SESSION_HEADER]: sessionId }, c.req.method);
        // Dropped first: Hono copies the old response's headers onto a new one, and the old length may not be the new body's.
        c.res = undefined;
        return { value: read.response, finished: read.finished };
      });
    } catch (error) {
      const answer = replayAnswer(error);
      if (answer === undefined) throw error;
      c.res = undefined;
      c.res = replayResponse(answer);
    }
  };
}

/** A relay route handler. `rateLimit` needs a `key(c)`: Hono names no client address on every runtime. */
export function noukaiRelay(options: RelayOptions<Context>): (c: Context) => Promise<Response> {
  const handle = createRelayCore(options, "noukaiRelay");
  return (c) => handle(incomingOfRequest(c.req.raw, c));
}

export { RelayRefusal } from "../relay/server/refusal.js";
export { RelayCode } from "../relay/protocol.js";
export type { BrowserEvent } from "../relay/server/present-event.js";
export type { BrowserField, RelayInput, RelayOptions, RelayRateLimit, RelayRunFields } from "../relay/server/options.js";
export type { ScopeAdapterOptions } from "../scope/request-scope.js";
