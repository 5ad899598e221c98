import { markFailedBeforeResponse } from "../../core/connection-failure.js";
import type { HttpRequest } from "../../core/effects.js";
import { cancelled } from "../../core/client-errors.js";
import { APIConnectionError, APITimeoutError, type APIUserAbortError } from "../../core/errors.js";

/**
 * What a request was waiting for when its time ran out: the response headers,
 * more of a streamed body (silence), or the rest of a whole answer (its
 * timeout bounds the exchange from sending to the last byte).
 */
export type TimedOutWaiting = "headers" | "body" | "answer";

const WAITING: Record<TimedOutWaiting, string> = {
  headers: "waiting for the response headers",
  body: "waiting for more of the response",
  answer: "before the whole answer arrived",
};

export function timeoutError(request: HttpRequest, ms: number, waitingFor: TimedOutWaiting): APITimeoutError {
  return new APITimeoutError(`${request.method} ${request.path} timed out after ${ms} ms ${WAITING[waitingFor]}.`, {
    code: "TIMEOUT",
  });
}

/** A successful answer larger than the client reads into memory; what arrived of it is dropped. */
export function tooLargeError(request: HttpRequest, maxBytes: number): APIConnectionError {
  return new APIConnectionError(
    `The answer to ${request.method} ${request.path} is larger than ${maxBytes} bytes (the client's maxResponseBytes); it was abandoned.`,
    { code: "RESPONSE_TOO_LARGE" },
  );
}

export function abortError(request: HttpRequest, reason: unknown): APIUserAbortError {
  return cancelled(`${request.method} ${request.path}`, reason);
}

/** undici's codes for answers its parser took but that break HTTP's rules; the parser's own are `HPE_*`. */
const NOT_HTTP = new Set(["UND_ERR_HEADERS_OVERFLOW", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH"]);

/** Whether an error code says the answer was not valid HTTP, rather than that the connection failed. */
function isMalformedAnswer(code: string): boolean {
  return code.startsWith("HPE_") || NOT_HTTP.has(code);
}

/** `beforeResponse`: nothing of a response arrived, so the request may be retried. */
export function connectionError(request: HttpRequest, cause: unknown, beforeResponse: boolean): APIConnectionError {
  const code = errorCode(cause);
  if (code !== undefined && isMalformedAnswer(code)) return malformedResponse(request, code, cause, beforeResponse);
  const what = beforeResponse ? "failed before any response arrived" : "was cut while the response was being read";
  const error = new APIConnectionError(`${request.method} ${request.path} ${what}${code ? ` (${code})` : ""}.`, {
    code: code ?? "CONNECTION_ERROR",
    cause,
  });
  return beforeResponse ? markFailedBeforeResponse(error) : error;
}

/**
 * The answer was not valid HTTP. The parser's own error carries the raw bytes
 * of that answer (`rawPacket`; undici's `data`), which can echo the request's
 * `Authorization` header back: the error keeps only the parser's reason.
 */
function malformedResponse(request: HttpRequest, code: string, cause: unknown, beforeResponse: boolean): APIConnectionError {
  const reason = findReason(cause)?.slice(0, 200) ?? "it is not valid HTTP";
  const error = new APIConnectionError(`${request.method} ${request.path} got a malformed response: ${reason} (${code}).`, {
    code,
    cause: Object.assign(new Error(`Parse Error: ${reason}`), { code }),
  });
  return beforeResponse ? markFailedBeforeResponse(error) : error;
}

/** How far down a chain of causes to look: a transport's error wraps one or two, and a chain could loop. */
const MAX_CAUSES = 8;

/** Node's parse errors say what was wrong in `reason`; undici's in the message of the error with the code. */
function findReason(cause: unknown): string | undefined {
  for (let at = cause, depth = 0; typeof at === "object" && at !== null && depth < MAX_CAUSES; depth++) {
    const { reason, code, message } = at as { reason?: unknown; code?: unknown; message?: unknown };
    if (typeof reason === "string" && reason !== "") return reason;
    if (typeof code === "string" && isMalformedAnswer(code) && typeof message === "string") return message;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorCode(cause: unknown): string | undefined {
  for (let at = cause, depth = 0; typeof at === "object" && at !== null && depth < MAX_CAUSES; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string") return code;
    at = (at as { cause?: unknown }).cause;
  }
  return undefined;
}
