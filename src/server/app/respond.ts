import type { AppResponse } from "./http-types.js";
import type { HttpError } from "./http-error.js";
import type { OriginVerdict } from "./origin-policy.js";

const JSON_TYPE = "application/json";

export function json(status: number, value: unknown, headers?: Record<string, string>): AppResponse {
  return { status, headers: headers === undefined ? { "content-type": JSON_TYPE } : { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

/** An answer whose JSON body is already written. */
export function jsonText(status: number, body: string): AppResponse {
  return { status, headers: { "content-type": JSON_TYPE }, body };
}

export function errorBody(code: string, message: string): string {
  return JSON.stringify({ detail: { code, message } });
}

export function errorResponse(error: HttpError): AppResponse {
  return { status: error.status, headers: { "content-type": JSON_TYPE, ...error.headers }, body: errorBody(error.code, error.message) };
}

const EXPOSED = "X-Request-ID, Retry-After, Idempotent-Replayed, WWW-Authenticate";

/** Headers every answer carries: the request id, and CORS for a web page the server lets in (none for others). */
export function decorate(response: AppResponse, requestId: string, origin: OriginVerdict): AppResponse {
  const headers = response.headers;
  headers["x-request-id"] = requestId;
  if (origin.kind === "allowed") {
    headers["access-control-allow-origin"] = origin.allowOrigin;
    headers["access-control-expose-headers"] = EXPOSED;
    if (origin.allowOrigin !== "*") headers.vary = "Origin";
  }
  return response;
}

/** OPTIONS: a CORS preflight for a page the server lets in; a plain list of methods for anyone else. */
export function preflight(origin: OriginVerdict, privateNetwork: boolean): AppResponse {
  if (origin.kind !== "allowed") return { status: 204, headers: { allow: "GET, POST, OPTIONS" }, body: null };
  return {
    status: 204,
    headers: {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers":
        "Authorization, Content-Type, Accept, Idempotency-Key, X-Session-Id, X-Noukai-API-Version, X-Request-ID, User-Agent",
      "access-control-max-age": "600",
      // Chrome asks before a public page may reach a private address; an allowed page may.
      ...(privateNetwork ? { "access-control-allow-private-network": "true" } : {}),
    },
    body: null,
  };
}
