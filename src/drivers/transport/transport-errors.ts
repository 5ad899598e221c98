import { markFailedBeforeResponse } from "../../core/connection-failure.js";
import type { HttpRequest } from "../../core/effects.js";
import { APIConnectionError, APITimeoutError, APIUserAbortError } from "../../core/errors.js";

/** What `AbortController.abort(reason)` is given when the client itself is closed. */
export const CLIENT_CLOSED = Symbol("noukai.clientClosed");

export function timeoutError(request: HttpRequest, ms: number, waitingFor: "headers" | "body"): APITimeoutError {
  const what = waitingFor === "headers" ? "for the response headers" : "for more of the response";
  return new APITimeoutError(`${request.method} ${request.path} timed out after ${ms} ms waiting ${what}.`, {
    code: "TIMEOUT",
  });
}

export function abortError(request: HttpRequest, reason: unknown): APIUserAbortError {
  if (reason === CLIENT_CLOSED) {
    return new APIUserAbortError(`${request.method} ${request.path} was cancelled because the client was closed.`, {
      code: "CLIENT_CLOSED",
    });
  }
  return new APIUserAbortError(`${request.method} ${request.path} was cancelled by its AbortSignal.`, {
    code: "ABORTED",
    cause: reason,
  });
}

/** `beforeResponse`: nothing of a response arrived, so the request may be retried. */
export function connectionError(request: HttpRequest, cause: unknown, beforeResponse: boolean): APIConnectionError {
  const code = errorCode(cause);
  const what = beforeResponse ? "failed before any response arrived" : "was cut while the response was being read";
  const error = new APIConnectionError(`${request.method} ${request.path} ${what}${code ? ` (${code})` : ""}.`, {
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
