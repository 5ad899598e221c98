import { RelayCode } from "../protocol.js";
import { RelayRefusal } from "./refusal.js";

/**
 * What the browser is told of an error met while running the flow. Errors
 * are recognised by name, not class: a relay bundled for an edge runtime
 * holds another copy of the classes than the client it was given, and the
 * names are plain strings that survive minifying. The service's answers pass
 * through with their status, code, message, request id and Retry-After; the
 * relay's own key trouble becomes a 502, since the browser cannot fix it;
 * anything else is hidden (undefined) and reported to `onError`.
 */
const SERVICE_ERRORS = new Set([
  "NoukaiError", "FlowExecutionError", "BadRequestError", "ConflictError", "UnprocessableEntityError", "InternalServerError",
  "FlowNotFoundError", "VersionNotFoundError", "RunNotFoundError", "StepNotFoundError", "RateLimitError", "InsufficientCreditsError",
]);

interface ErrorFields {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
  requestId?: unknown;
  retryAfter?: unknown;
}

export function refusalOf(error: unknown): RelayRefusal | undefined {
  if (error instanceof RelayRefusal) return error;
  if (!(error instanceof Error)) return undefined;
  const fields = error as ErrorFields;
  const requestId = typeof fields.requestId === "string" ? fields.requestId : undefined;
  const code = typeof fields.code === "string" && fields.code !== "" ? fields.code : undefined;
  const status = typeof fields.statusCode === "number" && fields.statusCode >= 400 && fields.statusCode <= 599 ? fields.statusCode : undefined;
  switch (error.name) {
    case "APIUserAbortError":
      return new RelayRefusal(499, "ABORTED", "The request was cancelled before the flow answered.", { requestId });
    case "APITimeoutError":
      return new RelayRefusal(504, RelayCode.UPSTREAM_TIMEOUT, "The flow service did not answer in time.", { requestId });
    case "APIConnectionError":
      return new RelayRefusal(502, RelayCode.UPSTREAM_UNAVAILABLE, "The flow service could not be reached.", { requestId });
    case "AuthenticationError":
    case "PermissionDeniedError":
      return new RelayRefusal(502, RelayCode.UPSTREAM_REFUSED, "The flow service refused the relay's key; the relay must be fixed by its operator.", { requestId });
    case "ToolCallLimitError":
      return new RelayRefusal(409, RelayCode.TOOL_ROUND_LIMIT, "The run asked for more tool rounds than this relay allows.", { requestId });
  }
  if (!SERVICE_ERRORS.has(error.name)) return undefined;
  const headers: Record<string, string> = {};
  if (typeof fields.retryAfter === "number" && Number.isFinite(fields.retryAfter)) headers["retry-after"] = String(Math.ceil(fields.retryAfter));
  return new RelayRefusal(status ?? 502, safeCode(code), error.message, { requestId, headers });
}

/** A service code is passed on when it is one (capitals, digits, underscores); anything else is named for what it is. */
function safeCode(code: string | undefined): string {
  return code !== undefined && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : "UPSTREAM_ERROR";
}
