/**
 * The seam every layer around a call is built on (capture and replay,
 * cassettes, telemetry, test doubles): an ordered chain of middleware, given
 * to a client as `middleware: [...]`, that sees each request before it is
 * sent (and may change its headers, or answer it itself), each answer after
 * it arrives, and each event of a stream. The chain runs in the core, on the
 * caller's thread, in order, for both clients alike; the API key is never in
 * what it sees.
 */
import type { FlowRef } from "./flow-ref.js";
import type { ToolCall } from "./types.js";

/** Which SDK call a request belongs to. */
export type Operation = "execute" | "resume" | "steps" | "events" | "executeAsync" | "poll" | "wait" | "trace" | "stepTrace" | "liveTrace";

/** One SDK call, as its middleware sees it: every request of the call (retries, tool rounds, `/step` segments) carries the same one. */
export interface CallInfo {
  /** Unique per call. */
  readonly id: string;
  readonly operation: Operation;
  readonly flow: Readonly<Pick<FlowRef, "org" | "project" | "slug">>;
  /** The call's `replayKey` option, when it has one: what ties it to a recorded call, whatever the order. */
  readonly replayKey: string | undefined;
}

/** One call's identity and the chain that runs around it (the scope's layer, if one is open, then the client's). */
export interface CallHooks {
  readonly info: CallInfo;
  readonly chain: readonly Middleware[];
}

/** A request as a middleware sees it, before it is sent. */
export interface OutgoingRequest {
  readonly method: "GET" | "POST";
  /** Below the base URL, with its query: `/seq/acme/support/triage/execute`. */
  readonly path: string;
  /**
   * The headers that will be sent, lower-cased, without `Authorization`. Set
   * or delete entries to change them; the ones the protocol fixes (see
   * `FIXED_HEADERS`) cannot be changed.
   */
  readonly headers: Record<string, string>;
  /** The JSON body that will be sent, if any. Not to be changed. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** An event stream (`/step`, a live trace) rather than a whole answer. */
  readonly stream: boolean;
  /** 0 for the first attempt, then 1, 2… for retries. */
  readonly attempt: number;
}

/** One event of a stream answered by a middleware. */
export interface AnswerEvent {
  /** The event's name on the wire, e.g. `step_completed`. */
  event: string;
  /** Its payload, a JSON object. */
  data: Record<string, unknown>;
}

/**
 * An answer a middleware gives instead of the server: a whole answer's body
 * (a JSON value, or a string sent as it is), or a stream's events. It is then
 * handled exactly as if the server had sent it: a 503 is retried, a 404
 * becomes `FlowNotFoundError`, a stream's events are decoded and followed.
 */
export type MiddlewareAnswer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { status: number; headers?: Record<string, string>; events: readonly AnswerEvent[] };

/** An answer as a middleware sees it, after it arrived (from the server, or from a middleware). */
export interface IncomingResponse {
  readonly status: number;
  /** Lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** A whole answer's body: parsed JSON, else its text. Undefined for a successful stream, whose events come one by one. */
  readonly body: unknown;
  /** The name of the middleware that answered, when it was not the server. */
  readonly answeredBy: string | undefined;
}

/** An event of a stream, decoded, as the caller will see it (`type` is its public type). */
export type MiddlewareEvent = { readonly type: string; readonly [field: string]: unknown };

/** How a call ended: with its value, with an error, or abandoned (a stream left before its end). */
export type CallEnd = { readonly outcome: "value"; readonly value: unknown } | { readonly outcome: "error"; readonly error: unknown } | { readonly outcome: "abandoned" };

/** A retry the client is about to make. */
export interface RetryInfo {
  /** The attempt that failed: 0 for the first. */
  readonly attempt: number;
  /** What failed: an HTTP status, or a connection that failed before any answer. */
  readonly reason: { readonly status: number } | { readonly connection: string };
  /** How long the client waits before the next attempt. */
  readonly delayMs: number;
}

/** How a tool handler's run ended: its results (as it returned them), or what it threw. */
export type ToolHandlerEnd = { readonly outcome: "value"; readonly results: unknown } | { readonly outcome: "error"; readonly error: unknown };

/**
 * A layer around every call of a client. Every hook is optional; they run
 * on the caller's thread, in the order of the chain, and what one throws
 * fails the call. `onRequest` may return a Promise with `AsyncNoukai`; with
 * the blocking `Noukai` it must return at once (like a tool handler).
 */
export interface Middleware {
  /** Names the middleware in errors and in `answeredBy`. */
  readonly name?: string;
  /**
   * When a call starts. The function it returns, if any, is called when the
   * call ends, once: with its value, its error, or abandoned (a stream left early).
   */
  onCall?(call: CallInfo): ((end: CallEnd) => void) | void;
  /** Before each request is sent (each attempt): change its headers, or return an answer instead of sending it. */
  onRequest?(request: OutgoingRequest, call: CallInfo): MiddlewareAnswer | void | Promise<MiddlewareAnswer | void>;
  /** After each answer (a whole answer with its body; a stream with its status and headers). */
  onResponse?(response: IncomingResponse, request: OutgoingRequest, call: CallInfo): void;
  /** Each event of a stream, before the caller gets it (including those `steps()` does not yield). */
  onEvent?(event: MiddlewareEvent, call: CallInfo): void;
  /** A retry about to be made, before the client waits for it. */
  onRetry?(retry: RetryInfo, call: CallInfo): void;
  /** A tool handler about to run with these calls. The function it returns, if any, is called when the handler has answered or thrown. */
  onToolHandler?(toolCalls: readonly ToolCall[], call: CallInfo): ((end: ToolHandlerEnd) => void) | void;
}

/** Headers a middleware cannot set, change or remove: the protocol and the client own them. */
export const FIXED_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "x-noukai-api-version",
  "user-agent",
  "content-type",
  "content-length",
  "idempotency-key",
  "host",
  "cookie",
  "x-request-id",
]);
