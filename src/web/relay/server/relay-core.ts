import type { StreamEvent } from "../../../core/stream-events.js";
import { newUuid } from "../../../core/uuid.js";
import { ValueError } from "../../../core/errors.js";
import { isJsonObject } from "../../../core/json-object.js";
import { EVENT_STREAM, JSON_TYPE, RelayCode } from "../protocol.js";
import { readBoundedBody } from "./bounded-body.js";
import { parseBrowserBody } from "./browser-input.js";
import type { StreamRun } from "./event-stream.js";
import { type RelayInput, type RelayOptions, type RelayRunFields, resolveRelay } from "./options.js";
import { PausedStreams } from "./paused-streams.js";
import { presentEvent } from "./present-event.js";
import { RateLimiter } from "./rate-limiter.js";
import { RelayRefusal } from "./refusal.js";
import { TokenSealer } from "./token-sealer.js";
import { refusalOf } from "./upstream-errors.js";
import { UsedTokens } from "./used-tokens.js";
import { resumeStream, startStream } from "./streamed-run.js";
import { executeWhole, type RelayedFlow, resumeWhole } from "./whole-answer.js";

/**
 * One request to a relay, as each framework's adapter hands it over. The
 * body is a function: nothing reads it until `authorize` has accepted.
 */
export interface RelayIncoming<R> {
  /** The framework's own request, given to `authorize`, `prepare` and `rateLimit.key`. */
  readonly request: R;
  readonly method: string;
  readonly headers: Headers;
  readonly declaredLength: number | undefined;
  readonly body: () => ReadableStream<Uint8Array> | null;
  /** Fires when the browser goes away. */
  readonly signal: AbortSignal | undefined;
}

/** What an adapter knows that the core does not: who the client is, when the framework says. */
export interface AdapterDefaults<R> {
  clientAddress?: (request: R) => string | undefined;
}

export type RelayHandler<R> = (incoming: RelayIncoming<R>) => Promise<Response>;

const RUN_FIELDS = new Set(["parameters", "blockOverrides", "attachments", "tools", "toolChoice", "trace", "sessionId"]);

/**
 * The relay, for any framework: rate limit, then `authorize`, both before a
 * byte of the body is read; then the bounded body, the browser's allow-list
 * and the server's fields; then the run, whole or streamed. Every failure is
 * answered with a status and a code; what the browser may not see is
 * reported to `onError` and answered RELAY_ERROR.
 */
export function createRelayCore<R>(options: RelayOptions<R>, where: string, defaults: AdapterDefaults<R> = {}): RelayHandler<R> {
  const relay = resolveRelay(options, where);
  const now = () => Date.now();
  const limiter = options.rateLimit === undefined ? undefined : new RateLimiter(options.rateLimit, now);
  const clientKey = options.rateLimit?.key ?? defaults.clientAddress;
  if (limiter !== undefined && clientKey === undefined) {
    throw new ValueError(`${where}() option rateLimit needs key(request): this framework gives the relay no client address.`);
  }
  const run: RelayedFlow & StreamRun = {
    flow: options.client.flow(options.flow),
    version: relay.version,
    maxToolRounds: relay.maxToolRounds,
    tokens: {
      sealer: new TokenSealer(options.secret, relay.crypto),
      used: new UsedTokens(relay.maxUsedTokens, now),
      relayId: `${relay.flowName}@${String(relay.version)}`,
      ttlMs: relay.tokenTtlMs,
      maxTokenChars: Math.floor((relay.maxBodyBytes * 3) / 4),
      crypto: relay.crypto,
      now,
    },
    paused: new PausedStreams(relay.maxPausedStreams, now),
    heartbeatMs: relay.heartbeatMs,
    streamTimeoutMs: relay.streamTimeoutMs,
    present: (event: StreamEvent) => {
      const shown = presentEvent(event);
      return options.presentEvent === undefined ? shown : options.presentEvent(event, shown);
    },
    refusal: (error) => hidden(error, ""),
  };
  const report = (error: unknown, requestId: string) => {
    try {
      options.onError?.(error, { requestId });
    } catch {
      // A failing report must not change the answer.
    }
  };
  const hidden = (error: unknown, requestId: string): RelayRefusal => {
    const refusal = refusalOf(error);
    if (refusal !== undefined) return refusal;
    report(error, requestId);
    return new RelayRefusal(500, RelayCode.RELAY_ERROR, "The relay failed; quote the request id to its operator.");
  };

  return async (incoming) => {
    const requestId = `relay_${newUuid()}`;
    try {
      if (incoming.method !== "POST") throw new RelayRefusal(405, RelayCode.METHOD_NOT_ALLOWED, "The relay answers POST only.", { headers: { allow: "POST" } });
      if (limiter !== undefined) {
        const wait = limiter.take(clientKey?.(incoming.request) ?? "(no client key)");
        if (wait !== undefined) throw new RelayRefusal(429, RelayCode.RATE_LIMITED, `Too many requests; try again in ${wait} s.`, { headers: { "retry-after": String(wait) } });
      }
      await authorize(options, incoming.request);
      if (!isJson(incoming.headers.get("content-type"))) throw new RelayRefusal(415, RelayCode.UNSUPPORTED_MEDIA_TYPE, "The relay takes a JSON body (Content-Type: application/json).");
      const streamed = (incoming.headers.get("accept") ?? "").includes(EVENT_STREAM);
      if (streamed && !relay.streams) throw new RelayRefusal(400, RelayCode.STREAMS_UNAVAILABLE, "This relay answers whole results only; it does not stream events.");
      const bytes = await readBoundedBody(incoming.body(), incoming.declaredLength, { maxBytes: relay.maxBodyBytes, timeoutMs: relay.bodyTimeoutMs });
      const browser = parseBrowserBody(bytes, relay);
      const live = { ...run, refusal: (error: unknown) => hidden(error, requestId) };
      if (browser.kind === "resume") {
        return streamed ? await resumeStream(live, browser.token, browser.toolResults, requestId) : await resumeWhole(live, browser.token, browser.toolResults, incoming.signal, requestId);
      }
      const fields = await prepared(options, incoming.request, browser.input);
      return streamed ? await startStream(live, browser.input, fields, requestId) : await executeWhole(live, browser.input, fields, incoming.signal, requestId);
    } catch (error) {
      return hidden(error, requestId).toResponse(requestId);
    }
  };
}

/** Only a `true` lets a request through: an authorize that forgot to return anything must not open the relay. */
async function authorize<R>(options: RelayOptions<R>, request: R): Promise<void> {
  let allowed: unknown;
  try {
    allowed = await options.authorize(request);
  } catch (error) {
    if (error instanceof RelayRefusal) throw error;
    // What the hook threw may say more than the browser should learn: it gets the code only.
    throw forbidden();
  }
  if (allowed !== true) throw forbidden();
}

function forbidden(): RelayRefusal {
  return new RelayRefusal(403, RelayCode.FORBIDDEN, "This request may not run the flow.");
}

/** The server's fields of a fresh run: only run fields, checked, since they go to the service as they are. */
async function prepared<R>(options: RelayOptions<R>, request: R, input: RelayInput): Promise<RelayRunFields> {
  const fields = await options.prepare?.(request, input);
  if (fields === undefined) return {};
  if (!isJsonObject(fields)) throw new ValueError("The relay's prepare() must return an object of run fields (parameters, …) or nothing.");
  for (const key of Object.keys(fields)) {
    if (!RUN_FIELDS.has(key)) throw new ValueError(`The relay's prepare() returned "${key}", which is not a run field it may set (${[...RUN_FIELDS].join(", ")}).`);
  }
  return fields;
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && contentType.split(";")[0]?.trim().toLowerCase() === JSON_TYPE;
}
