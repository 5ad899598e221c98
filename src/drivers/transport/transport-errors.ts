import { markFailedBeforeResponse } from "../../core/connection-failure.js";
import type { HttpRequest } from "../../core/effects.js";
import { cancelled } from "../../core/client-errors.js";
import { APIConnectionError, APITimeoutError, type APIUserAbortError } from "../../core/errors.js";
import { malformedAnswer } from "./malformed-answer.js";

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

/** `beforeResponse`: nothing of a response arrived, so the request may be retried. */
export function connectionError(request: HttpRequest, cause: unknown, beforeResponse: boolean): APIConnectionError {
  const code = errorCode(cause);
  const what = beforeResponse ? "failed before any response arrived" : "was cut while the response was being read";
  const error =
    (code === undefined ? undefined : malformedAnswer(request, code, cause)) ??
    new APIConnectionError(`${request.method} ${request.path} ${what}${code ? ` (${code})` : ""}.`, {
      code: code ?? "CONNECTION_ERROR",
      cause,
    });
  return beforeResponse ? markFailedBeforeResponse(error) : error;
}

function errorCode(cause: unknown): string | undefined {
  if (typeof cause !== "object" || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const nested = (cause as { cause?: unknown }).cause;
  return nested === cause ? undefined : errorCode(nested);
}
