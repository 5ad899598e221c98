/**
 * What a relay and its browser client say to each other: one URL, POSTed
 * JSON, answered with JSON (`Accept: application/json`) or with an event
 * stream (`Accept: text/event-stream`). Both sides import these names, so
 * the two halves cannot drift apart.
 *
 * A fresh run:   { message } or { messages } (and `tools`/`toolChoice` when the relay allows them)
 * A resume:      { token, toolResults }
 * A whole answer: { status: "completed" | "failed", result, executionId, flowId, blockCount }
 *                 or { status: "tool_calls_required", toolCalls, token, expiresAt }
 * A refusal:     its status, { detail: { code, message } }, `X-Request-ID`, and `Retry-After` on a 429
 * A stream:      the run's events; a pause is `tool_calls_required` with its token, after which the
 *                stream ends; a failure after the stream began is an `error` event.
 */
import type { ToolCall } from "../../core/types.js";

/** The relay's own refusal codes (the service's codes pass through as they are). */
export const RelayCode = {
  /** `authorize` refused the request (403), or threw without saying how. */
  FORBIDDEN: "FORBIDDEN",
  /** The per-client rate limit was reached (429, with Retry-After). */
  RATE_LIMITED: "RATE_LIMITED",
  /** The relay answers POST only (405). */
  METHOD_NOT_ALLOWED: "METHOD_NOT_ALLOWED",
  /** The body is not `application/json` (415). */
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  /** The body is larger than `maxBodyBytes` (413), said by Content-Length or counted while reading. */
  BODY_TOO_LARGE: "BODY_TOO_LARGE",
  /** The body did not arrive within `bodyTimeoutMs` (408). */
  BODY_TIMEOUT: "BODY_TIMEOUT",
  /** The body stopped before its end: the connection failed mid-body (400). */
  BODY_INCOMPLETE: "BODY_INCOMPLETE",
  /** The body is not a JSON object (400). */
  INVALID_JSON: "INVALID_JSON",
  /** The body holds a field the browser may not set (400). */
  FIELD_NOT_ALLOWED: "FIELD_NOT_ALLOWED",
  /** A field the browser may set has the wrong shape (400). */
  INVALID_INPUT: "INVALID_INPUT",
  /** More messages or tool results than `maxMessages` (413). */
  TOO_MANY_MESSAGES: "TOO_MANY_MESSAGES",
  /** The run asked for more tool rounds than the relay's `maxToolRounds` (409). */
  TOOL_ROUND_LIMIT: "RELAY_TOOL_ROUND_LIMIT",
  /** The token was altered, is not a token, or was sealed with another secret (400). */
  TOKEN_INVALID: "RELAY_TOKEN_INVALID",
  /** The token belongs to another flow or version (400). */
  TOKEN_FOREIGN: "RELAY_TOKEN_FOREIGN",
  /** The token resumes a run of the other kind (a stream's token on a whole answer, or the reverse) (400). */
  TOKEN_MODE: "RELAY_TOKEN_MODE",
  /** The token has expired (410). */
  TOKEN_EXPIRED: "RELAY_TOKEN_EXPIRED",
  /** The token was already used: its round was resumed, or is being resumed (409). */
  TOKEN_USED: "RELAY_TOKEN_USED",
  /** The streamed run this token resumes is no longer held by this relay (restarted, evicted) (410). */
  TOKEN_UNKNOWN: "RELAY_TOKEN_UNKNOWN",
  /** This relay does not stream (it is pinned to the draft, or streaming is turned off) (400). */
  STREAMS_UNAVAILABLE: "RELAY_STREAMS_UNAVAILABLE",
  /** The relay's record of used tokens is full of live ones (503); resumes go through again as they expire. */
  BUSY: "RELAY_BUSY",
  /** The paused state is too large for a token that fits the body limit (502). */
  STATE_TOO_LARGE: "RELAY_STATE_TOO_LARGE",
  /** A streamed answer outlasted the relay's `streamTimeoutMs` (504, as an `error` event). */
  STREAM_TIMEOUT: "RELAY_STREAM_TIMEOUT",
  /** The service could not be reached (502). */
  UPSTREAM_UNAVAILABLE: "UPSTREAM_UNAVAILABLE",
  /** The service did not answer in time (504). */
  UPSTREAM_TIMEOUT: "UPSTREAM_TIMEOUT",
  /** The service refused the relay's key (502): the relay is misconfigured, not the browser. */
  UPSTREAM_REFUSED: "UPSTREAM_REFUSED",
  /** The relay failed in a way it does not show the browser (500); `onError` gets the error. */
  RELAY_ERROR: "RELAY_ERROR",
} as const;

export type RelayCode = (typeof RelayCode)[keyof typeof RelayCode];

/** The body of every refusal, in the service's own error shape. */
export interface RefusalBody {
  detail: { code: string; message: string };
}

/** A paused run as the browser sees it: the calls to answer and the sealed token that resumes it. */
export interface RelayPauseWire {
  status: "tool_calls_required";
  toolCalls: ToolCall[];
  /** Opaque: the relay's sealed state; only the relay that issued it can open it. */
  token: string;
  /** ISO 8601: after this the token is refused. */
  expiresAt: string;
}

/** A finished run as the browser sees it. */
export interface RelayResultWire {
  status: "completed" | "failed";
  result: unknown;
  executionId: string | undefined;
  flowId: string;
  blockCount: number;
}

/** The `error` event that ends a stream which failed after it began. */
export interface RelayErrorEventWire {
  status: number;
  code: string;
  message: string;
  requestId?: string;
  retryAfter?: number;
}

export const EVENT_STREAM = "text/event-stream";
export const JSON_TYPE = "application/json";
