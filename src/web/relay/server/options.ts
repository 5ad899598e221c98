import type { AsyncNoukai } from "../../../clients/async-noukai.js";
import { ValueError } from "../../../core/errors.js";
import type { FlowIdentifier } from "../../../core/flow-ref.js";
import { describe } from "../../../core/identifiers.js";
import { MAX_TIMER_MS } from "../../../core/timer-limit.js";
import type { StreamEvent } from "../../../core/stream-events.js";
import type { ChatMessage, ToolChoice, ToolDefinition } from "../../../core/types.js";
import { streamVersionSegment, type Version, versionSegment } from "../../../core/versions.js";
import type { BrowserEvent } from "./present-event.js";

/** What the browser sent for a fresh run, after the allow-list: the hook `prepare` sees it. */
export type RelayInput = ({ message: string; messages?: undefined } | { messages: ChatMessage[]; message?: undefined }) & {
  /** Only when the relay lists `tools` in `browserFields`. */
  tools?: ToolDefinition[];
  /** Only when the relay lists `toolChoice` in `browserFields`. */
  toolChoice?: ToolChoice;
};

/** The fields of a run that come from the server, never from the browser: what `prepare` returns. */
export interface RelayRunFields {
  parameters?: Record<string, unknown>;
  blockOverrides?: Record<string, Record<string, unknown>>;
  attachments?: Record<string, unknown>[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  trace?: boolean;
  /** Tags the run with `X-Session-Id` (the client's own `sessionId` otherwise). */
  sessionId?: string;
}

/** Fields the browser may send beside its message, when the relay allows them. */
export type BrowserField = "tools" | "toolChoice";

export interface RelayRateLimit<R> {
  /** Requests allowed per client and window. */
  requests: number;
  /** The window, in milliseconds. */
  windowMs: number;
  /** Who the client is (an address, a user id); required where the framework gives no address. */
  key?: (request: R) => string | undefined;
  /** Clients tracked at once (default 10000); the oldest window is forgotten past it. */
  maxClients?: number;
}

/**
 * A relay: a route of your server that runs one flow (one version) for
 * browsers, with your key, which never leaves the server. `R` is the
 * framework's request (an Express `Request`, a Hono `Context`, a `Request`…).
 */
export interface RelayOptions<R> {
  /** The client that holds the key; the relay calls `client.flow(flow)` only. */
  client: Pick<AsyncNoukai, "flow">;
  /** The one flow this relay runs: `"org/project/slug"` or `{ org, project, slug }`. */
  flow: FlowIdentifier;
  /** The one version it runs: `"production"` (default), `"draft"` (no streams: the service refuses them), or a number. */
  version?: Version;
  /**
   * Seals paused runs into tokens: at least 32 bytes (a string of at least 32
   * characters, or bytes), kept on the server. Every relay of a deployment
   * that must open another's tokens shares it; changing it voids every token.
   */
  secret: string | Uint8Array;
  /**
   * Runs first, before the body is read. Only `true` (or a promise of it)
   * lets the request through: anything else, a forgotten `return` included,
   * refuses it (403 FORBIDDEN), as does a throw; throw a `RelayRefusal` to
   * choose the status, code and message.
   */
  authorize: (request: R) => boolean | Promise<boolean>;
  /** The server's fields of a fresh run (parameters, …), from the request and what the browser sent. */
  prepare?: (request: R, input: RelayInput) => RelayRunFields | void | Promise<RelayRunFields | void>;
  /** Fields the browser may send beside `message`/`messages` (default none). */
  browserFields?: readonly BrowserField[];
  /** Largest body accepted, in bytes (default 262144). A resume's token counts. */
  maxBodyBytes?: number;
  /** Most messages, and most tool results, in one body (default 40 each). */
  maxMessages?: number;
  /** Most tool rounds of one run through this relay (default 10). */
  maxToolRounds?: number;
  /** Milliseconds the body may take to arrive (default 10000). */
  bodyTimeoutMs?: number;
  /** Milliseconds a token stays valid (default 600000: 10 minutes). */
  tokenTtlMs?: number;
  /** Serve `events()`/`steps()` as an event stream (default true; never for the draft). */
  streams?: boolean;
  /** Streamed runs paused for tools held at once (default 1000); past it the oldest is let go. */
  maxPausedStreams?: number;
  /** Used tokens remembered until they expire (default 10000); past it, resumes are refused (503) until some expire. */
  maxUsedTokens?: number;
  /** A comment sent on an event stream that was silent this long (default 15000; 0 for none). */
  heartbeatMs?: number;
  /**
   * Milliseconds one streamed answer may last (default 600000): a page that
   * stops reading, or a run that never ends, does not hold a request to the
   * service past it. The stream then ends with RELAY_STREAM_TIMEOUT.
   */
  streamTimeoutMs?: number;
  /** Requests per client and window; none by default. */
  rateLimit?: RelayRateLimit<R>;
  /**
   * What of each event the browser gets: given the event and what the relay
   * would show of it by default (undefined for `step_input`), return what to
   * show, or undefined to drop it. Tool pauses are the relay's own and never pass here.
   */
  presentEvent?: (event: StreamEvent, shown: BrowserEvent | undefined) => BrowserEvent | undefined;
  /** Errors the browser is shown only as RELAY_ERROR (500), with the request id it was given. */
  onError?: (error: unknown, context: { requestId: string }) => void;
  /** WebCrypto; defaults to `globalThis.crypto` (Node 18 has it only as the `webcrypto` export of `node:crypto`). */
  crypto?: Crypto;
}

/** The options, checked, with their defaults. */
export interface ResolvedRelay<R> {
  readonly options: RelayOptions<R>;
  readonly flowName: string;
  readonly version: Version;
  readonly browserFields: ReadonlySet<BrowserField>;
  readonly maxBodyBytes: number;
  readonly maxMessages: number;
  readonly maxToolRounds: number;
  readonly bodyTimeoutMs: number;
  readonly tokenTtlMs: number;
  readonly streams: boolean;
  readonly maxPausedStreams: number;
  readonly maxUsedTokens: number;
  readonly heartbeatMs: number;
  readonly streamTimeoutMs: number;
  readonly crypto: Crypto;
}

const OPTION_NAMES = new Set([
  "client", "flow", "version", "secret", "authorize", "prepare", "browserFields", "maxBodyBytes", "maxMessages", "maxToolRounds",
  "bodyTimeoutMs", "tokenTtlMs", "streams", "maxPausedStreams", "maxUsedTokens", "heartbeatMs", "streamTimeoutMs", "rateLimit", "presentEvent", "onError", "crypto",
]);

/** Checks a relay's options where it is made, so a mistake stops the app at start rather than at a browser's first request. */
export function resolveRelay<R>(options: RelayOptions<R>, where: string): ResolvedRelay<R> {
  if (typeof options !== "object" || options === null) throw new TypeError(`${where}() takes an options object.`);
  for (const key of Object.keys(options)) if (!OPTION_NAMES.has(key)) throw new ValueError(`${where}() has no option "${key}".`);
  const { client, authorize, secret } = options;
  if (typeof client?.flow !== "function") throw new ValueError(`${where}() needs { client }: the AsyncNoukai that holds the key.`);
  if (typeof authorize !== "function") {
    throw new ValueError(`${where}() needs { authorize }: a function that returns true for each request it accepts, before the body is read (() => true to accept all).`);
  }
  checkSecret(secret, where);
  for (const name of ["prepare", "presentEvent", "onError"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") throw new TypeError(`${where}() option ${name} must be a function.`);
  }
  const flow = client.flow(options.flow);
  const version = options.version ?? "production";
  versionSegment(version);
  const streamable = (() => {
    try {
      streamVersionSegment(version);
      return true;
    } catch {
      return false;
    }
  })();
  const crypto = options.crypto ?? (globalThis as { crypto?: Crypto }).crypto;
  if (typeof crypto?.subtle?.importKey !== "function" || typeof crypto.getRandomValues !== "function") {
    throw new ValueError(`${where}() seals tokens with WebCrypto, which this runtime does not offer as globalThis.crypto: pass { crypto } (on Node 18: the webcrypto export of node:crypto).`);
  }
  checkRateLimit(options.rateLimit, where);
  return {
    options,
    flowName: `${flow.org}/${flow.project}/${flow.slug}`,
    version,
    browserFields: browserFieldsOf(options.browserFields, where),
    maxBodyBytes: whole(options.maxBodyBytes, 262_144, 1_024, "maxBodyBytes", where),
    maxMessages: whole(options.maxMessages, 40, 1, "maxMessages", where),
    maxToolRounds: whole(options.maxToolRounds, 10, 0, "maxToolRounds", where),
    bodyTimeoutMs: timerMs(options.bodyTimeoutMs, 10_000, 1, "bodyTimeoutMs", where),
    tokenTtlMs: whole(options.tokenTtlMs, 600_000, 1, "tokenTtlMs", where),
    streams: (options.streams ?? true) && streamable,
    maxPausedStreams: whole(options.maxPausedStreams, 1_000, 1, "maxPausedStreams", where),
    maxUsedTokens: whole(options.maxUsedTokens, 10_000, 1, "maxUsedTokens", where),
    heartbeatMs: timerMs(options.heartbeatMs, 15_000, 0, "heartbeatMs", where),
    streamTimeoutMs: timerMs(options.streamTimeoutMs, 600_000, 1, "streamTimeoutMs", where),
    crypto,
  };
}

function checkSecret(secret: unknown, where: string): void {
  const bytes = typeof secret === "string" ? new TextEncoder().encode(secret).length : secret instanceof Uint8Array ? secret.length : -1;
  if (bytes < 0) throw new ValueError(`${where}() needs { secret }: a string or bytes, kept on the server, that seals the tokens.`);
  if (bytes < 32) throw new ValueError(`${where}() option secret is ${bytes} bytes long; it needs at least 32 (e.g. 32 random bytes, base64-encoded).`);
}

function browserFieldsOf(fields: unknown, where: string): ReadonlySet<BrowserField> {
  if (fields === undefined) return new Set();
  if (!Array.isArray(fields)) throw new TypeError(`${where}() option browserFields must be an array.`);
  for (const field of fields) {
    if (field !== "tools" && field !== "toolChoice") {
      throw new ValueError(`${where}() option browserFields may list "tools" and "toolChoice", got ${describe(field)}; other fields come from prepare().`);
    }
  }
  return new Set(fields as BrowserField[]);
}

function checkRateLimit<R>(limit: RelayRateLimit<R> | undefined, where: string): void {
  if (limit === undefined) return;
  if (typeof limit !== "object" || limit === null) throw new TypeError(`${where}() option rateLimit must be { requests, windowMs, key? }.`);
  whole(limit.requests, undefined, 1, "rateLimit.requests", where);
  whole(limit.windowMs, undefined, 1, "rateLimit.windowMs", where);
  if (limit.maxClients !== undefined) whole(limit.maxClients, undefined, 1, "rateLimit.maxClients", where);
  if (limit.key !== undefined && typeof limit.key !== "function") throw new TypeError(`${where}() option rateLimit.key must be a function.`);
}

function whole(value: unknown, fallback: number | undefined, min: number, name: string, where: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new ValueError(`${where}() option ${name} must be a whole number ${range}, got ${describe(value)}.`);
  }
  return value;
}

/** A number of milliseconds a timer waits (../../../core/timer-limit.ts). */
function timerMs(value: unknown, fallback: number, min: number, name: string, where: string): number {
  return whole(value, fallback, min, name, where, MAX_TIMER_MS);
}
