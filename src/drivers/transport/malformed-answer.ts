import type { HttpRequest } from "../../core/effects.js";
import { APIConnectionError } from "../../core/errors.js";

/** undici's codes for answers its parser took but that break HTTP's rules; the parser's own are `HPE_*`. */
const NOT_HTTP = new Set(["UND_ERR_HEADERS_OVERFLOW", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH"]);

/** Whether an error code says the answer was not valid HTTP, rather than that the connection failed. */
function isMalformedAnswer(code: string): boolean {
  return code.startsWith("HPE_") || NOT_HTTP.has(code);
}

/**
 * The error for an answer that was not valid HTTP, when `code` says so
 * (else undefined: the connection failed). The parser's own error carries
 * the raw bytes of that answer (`rawPacket`; undici's `data`), which can echo
 * the request's `Authorization` header back: the error keeps only the
 * parser's reason.
 */
export function malformedAnswer(request: HttpRequest, code: string, cause: unknown): APIConnectionError | undefined {
  if (!isMalformedAnswer(code)) return undefined;
  const reason = findReason(cause)?.slice(0, 200) ?? "it is not valid HTTP";
  return new APIConnectionError(`${request.method} ${request.path} got a malformed response: ${reason} (${code}).`, {
    code,
    cause: Object.assign(new Error(`Parse Error: ${reason}`), { code }),
  });
}

/** Node's parse errors say what was wrong in `reason`; undici's in the message of the error with the code. */
function findReason(cause: unknown): string | undefined {
  if (typeof cause !== "object" || cause === null) return undefined;
  const { reason, code, message, cause: nested } = cause as { reason?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (typeof reason === "string" && reason !== "") return reason;
  if (typeof code === "string" && isMalformedAnswer(code) && typeof message === "string") return message;
  return nested === cause ? undefined : findReason(nested);
}
