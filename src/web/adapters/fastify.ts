/**
 * `noukai/fastify`: Fastify 5 plugins. Only Fastify's types are imported.
 *
 * ```ts
 * await app.register(noukaiScope({ client }));
 * await app.register(noukaiRelay({ path: "/api/weather", client, flow: "examples/demo/weather", secret, authorize }));
 * ```
 */
import { AsyncResource } from "node:async_hooks";
import type { FastifyPluginCallback, FastifyRequest } from "fastify";
import { ValueError } from "../../core/errors.js";
import { headersOf, NodeRequestBody } from "../node/node-request.js";
import { responseOver } from "../node/response-over.js";
import { createRelayCore } from "../relay/server/relay-core.js";
import type { RelayOptions } from "../relay/server/options.js";
import { REPLAY_HEADER, replayIdOf, SESSION_HEADER } from "../scope/headers.js";
import { replayAnswer } from "../scope/replay-answer.js";
import { checkScopeAdapterOptions } from "../scope/adapter-options.js";
import { inRequestScope, type ScopeAdapterOptions } from "../scope/request-scope.js";
import { declaredLength } from "./fetch-incoming.js";

/**
 * A plugin (applied to the whole app, not encapsulated) that runs each
 * request in a capture or replay scope until its response has been sent.
 * Fastify goes on from the hook through its own callbacks and, for a body,
 * from the body's `end` event: the scope is entered again before validation,
 * so the handler runs in it whatever context those carried (on Node 20 they
 * carry the hook's; the re-entry makes it hold by construction). A streamed
 * reply needs nothing more: Node carries the scope from the handler's writes
 * to the socket's `drain` that asks for more, as the tests show. The scope
 * closes when Fastify has ended the reply and the connection is closed: a
 * caller who disconnects early does not end it while the handler runs. Replay
 * errors become their JSON answer; the app's error handler gets the rest.
 */
export function noukaiScope(given?: ScopeAdapterOptions): FastifyPluginCallback {
  const options = checkScopeAdapterOptions(given, "noukaiScope");
  const scopes = new WeakMap<FastifyRequest, AsyncResource>();
  const plugin: FastifyPluginCallback = (fastify, _options, done) => {
    fastify.addHook("onRequest", (request, reply, hookDone) => {
      inRequestScope(replayIdOf(request.headers[REPLAY_HEADER]), options, (sessionId) => {
        if (sessionId !== null) void reply.header(SESSION_HEADER, sessionId);
        scopes.set(request, new AsyncResource("noukai.scope"));
        const finished = responseOver(reply.raw);
        hookDone();
        return { value: undefined, finished };
      }).catch((error: unknown) => {
        const answer = replayAnswer(error);
        if (answer === undefined) return hookDone(error instanceof Error ? error : new Error(String(error)));
        // Answered from the hook: the chain stops here (the hook's callback is not called).
        void reply.code(answer.status).type("application/json; charset=utf-8").send(JSON.stringify(answer.body));
      });
    });
    fastify.addHook("preValidation", (request, _reply, hookDone) => {
      const scope = scopes.get(request);
      if (scope === undefined) hookDone();
      else scope.runInAsyncScope(hookDone);
    });
    const previous = fastify.errorHandler;
    fastify.setErrorHandler((error, request, reply) => {
      const answer = replayAnswer(error);
      if (answer === undefined) return previous.call(fastify, error, request, reply);
      void reply.code(answer.status).send(answer.body);
    });
    done();
  };
  // What fastify-plugin does: the hooks apply to every route of the app, not only to routes inside this plugin.
  return Object.assign(plugin, { [Symbol.for("skip-override")]: true, [Symbol.for("fastify.display-name")]: "noukai-scope" });
}

export interface FastifyRelayOptions extends RelayOptions<FastifyRequest> {
  /** The route's path, e.g. "/api/weather". */
  path: string;
}

/**
 * A plugin that adds the relay's POST route. Inside it no content-type
 * parser reads bodies: the relay reads its own, after `authorize`.
 * `rateLimit` counts by `request.ip` unless given a key.
 */
export function noukaiRelay(options: FastifyRelayOptions): FastifyPluginCallback {
  const { path, ...relayOptions } = options;
  if (typeof path !== "string" || !path.startsWith("/")) throw new ValueError('noukaiRelay() for Fastify needs { path }, such as "/api/weather".');
  const handle = createRelayCore(relayOptions, "noukaiRelay", { clientAddress: (request) => request.ip });
  return (fastify, _options, done) => {
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser("*", (_request, _payload, parsed) => parsed(null, undefined));
    fastify.post(path, async (request, reply) => {
      const gone = new AbortController();
      reply.raw.once("close", () => gone.abort());
      const body = new NodeRequestBody(request.raw);
      const response = await handle({
        request,
        method: request.method,
        headers: headersOf(request.headers),
        declaredLength: declaredLength(request.headers["content-length"]),
        body: () => body.open(),
        signal: gone.signal,
      });
      // A body the relay did not read to its end is never read: the connection ends with the answer.
      if (!body.complete) void reply.header("connection", "close");
      return reply.send(response);
    });
    done();
  };
}

export { RelayRefusal } from "../relay/server/refusal.js";
export { RelayCode } from "../relay/protocol.js";
export type { BrowserEvent } from "../relay/server/present-event.js";
export type { BrowserField, RelayInput, RelayOptions, RelayRateLimit, RelayRunFields } from "../relay/server/options.js";
export type { ScopeAdapterOptions } from "../scope/request-scope.js";
