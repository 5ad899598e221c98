import { errorFromResponse } from "../../../core/error-from-response.js";
import { APIConnectionError, APITimeoutError, FlowExecutionError, type NoukaiError, ToolCallLimitError } from "../../../core/errors.js";
import { RelayCode } from "../protocol.js";

/**
 * The relay refused a token: altered or not one of its own
 * (`RELAY_TOKEN_INVALID`), another flow's (`RELAY_TOKEN_FOREIGN`), of the
 * other kind of run (`RELAY_TOKEN_MODE`), expired (`RELAY_TOKEN_EXPIRED`),
 * already used (`RELAY_TOKEN_USED`), or naming a run the relay no longer
 * holds (`RELAY_TOKEN_UNKNOWN`). Nothing was resumed.
 */
export class RelayTokenError extends FlowExecutionError {
  override readonly name: string = "RelayTokenError";
}

/**
 * A relay's refusal as a typed error: the class a service answer of that
 * status gets from `noukai`, with the relay's code, message and request id;
 * its own codes get the class that says what happened (a token refused, the
 * service unreachable or slow behind the relay, too many tool rounds).
 */
export function errorOfRefusal(status: number, headers: Headers, text: string): NoukaiError {
  const error = errorFromResponse({ status, headers: headerRecord(headers), text }, Date.now());
  return refine(error);
}

/** The same for an `error` event that ended a stream which had begun. */
export function errorOfEvent(data: Record<string, unknown>): NoukaiError {
  const status = typeof data["status"] === "number" ? data["status"] : 502;
  const headers: Record<string, string> = {};
  if (typeof data["requestId"] === "string") headers["x-request-id"] = data["requestId"];
  if (typeof data["retryAfter"] === "number") headers["retry-after"] = String(data["retryAfter"]);
  const text = JSON.stringify({ detail: { code: data["code"], message: data["message"] } });
  return refine(errorFromResponse({ status, headers, text }, Date.now()));
}

function refine(error: NoukaiError): NoukaiError {
  const code = error.code;
  const init = { statusCode: error.statusCode, code, requestId: error.requestId, headers: error.headers, responseBody: error.responseBody };
  if (typeof code === "string" && code.startsWith("RELAY_TOKEN_")) return new RelayTokenError(error.message, init);
  if (code === RelayCode.TOOL_ROUND_LIMIT) return new ToolCallLimitError(error.message, init);
  if (code === RelayCode.UPSTREAM_TIMEOUT || code === RelayCode.STREAM_TIMEOUT) return new APITimeoutError(error.message, init);
  if (code === RelayCode.UPSTREAM_UNAVAILABLE) return new APIConnectionError(error.message, init);
  return error;
}

/** Why a request to the relay failed without an answer (the caller's abort is `cancelled`): the timeout, or the network. */
export function errorOfFailure(what: string, reason: "timeout" | "network", timeoutMs: number, cause: unknown): NoukaiError {
  if (reason === "timeout") return new APITimeoutError(`${what} got no answer within ${timeoutMs} ms.`, { code: "TIMEOUT", cause });
  const detail = cause instanceof Error && cause.message !== "" ? `: ${cause.message}` : "";
  return new APIConnectionError(`${what} could not reach the relay${detail}.`, { code: "CONNECTION_ERROR", cause });
}

function headerRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name.toLowerCase()] = value;
  });
  return record;
}
