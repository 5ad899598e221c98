/**
 * `noukai/express`: Express 4 and 5 (any framework with Node's
 * `(req, res, next)` middleware). Nothing of Express is imported: these are
 * plain functions over Node's request and response.
 *
 * ```ts
 * app.use(noukaiScope({ client }));            // first: a capture/replay scope per request
 * app.post("/api/weather", noukaiRelay({ client, flow: "examples/demo/weather", secret, authorize }));
 * app.use(noukaiReplayErrors());               // last: replay errors as JSON
 * ```
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { headersOf, NodeRequestBody } from "../node/node-request.js";
import { emitInCurrentContext } from "../node/events-in-scope.js";
import { responseOver } from "../node/response-over.js";
import { writeResponse } from "../node/write-response.js";
import { createRelayCore } from "../relay/server/relay-core.js";
import type { RelayOptions } from "../relay/server/options.js";
import { REPLAY_HEADER, replayIdOf, SESSION_HEADER } from "../scope/headers.js";
import { type ReplayAnswer, replayAnswer } from "../scope/replay-answer.js";
import { checkScopeAdapterOptions } from "../scope/adapter-options.js";
import { inRequestScope, type ScopeAdapterOptions } from "../scope/request-scope.js";
import { declaredLength } from "./fetch-incoming.js";

/** What the relay reads of an Express request beyond Node's: the address Express resolved, and a body a parser already read. */
export type ExpressRequest = IncomingMessage & { ip?: string | undefined; body?: unknown };
export type NextFunction = (error?: unknown) => void;

/**
 * Runs each request in a capture or replay scope: the route runs inside it
 * (`next()` is called in the scope, with no argument), `X-Noukai-Session`
 * is set before anything is written, the request's events (a body read
 * with `req.on("data")`) are emitted in it, and the scope closes when the
 * app has ended the response and the connection is closed, streamed ones
 * included: a caller who disconnects early does not end it while the
 * handler still runs. A replay that cannot start is answered with its JSON error.
 */
export function noukaiScope(given?: ScopeAdapterOptions): (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void {
  const options = checkScopeAdapterOptions(given, "noukaiScope");
  return (req, res, next) => {
    inRequestScope(replayIdOf(req.headers[REPLAY_HEADER]), options, (sessionId) => {
      if (sessionId !== null) res.setHeader(SESSION_HEADER, sessionId);
      emitInCurrentContext(req);
      const finished = responseOver(res);
      next();
      return { value: undefined, finished };
    }).catch((error: unknown) => {
      const answer = replayAnswer(error);
      if (answer !== undefined && !res.headersSent) sendAnswer(res, answer);
      else next(error);
    });
  };
}

/** An error handler, mounted after the routes: replay errors thrown by a route (a miss) become their JSON answer. */
export function noukaiReplayErrors(): (error: unknown, req: IncomingMessage, res: ServerResponse, next: NextFunction) => void {
  return (error, _req, res, next) => {
    const answer = replayAnswer(error);
    if (answer !== undefined && !res.headersSent) sendAnswer(res, answer);
    else next(error);
  };
}

/**
 * A relay route. Mount it before any body parser (or on its own path): it
 * reads the body itself, after `authorize`. If a parser did read it first,
 * the relay works on what was parsed, bounds included, but authorizing
 * before the read is then lost. `rateLimit` counts by `req.ip` unless given a key.
 */
export function noukaiRelay<R extends ExpressRequest = ExpressRequest>(options: RelayOptions<R>): (req: R, res: ServerResponse, next: NextFunction) => void {
  const handle = createRelayCore(options, "noukaiRelay", { clientAddress: (req) => req.ip ?? req.socket.remoteAddress });
  return (req, res, next) => {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    const body = new NodeRequestBody(req);
    handle({
      request: req,
      method: req.method ?? "GET",
      headers: headersOf(req.headers),
      declaredLength: declaredLength(req.headers["content-length"]),
      body: () => body.open(),
      signal: gone.signal,
    })
      .then((response) => writeResponse(res, response, { closeConnection: !body.complete }))
      .catch(next);
  };
}

function sendAnswer(res: ServerResponse, answer: ReplayAnswer): void {
  res.statusCode = answer.status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.end(JSON.stringify(answer.body));
}

export { RelayRefusal } from "../relay/server/refusal.js";
export { RelayCode } from "../relay/protocol.js";
export type { BrowserEvent } from "../relay/server/present-event.js";
export type { BrowserField, RelayInput, RelayOptions, RelayRateLimit, RelayRunFields } from "../relay/server/options.js";
export type { ScopeAdapterOptions } from "../scope/request-scope.js";
