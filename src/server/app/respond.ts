import type { AppResponse } from "./http-types.js";
import type { HttpError } from "./http-error.js";

const JSON_TYPE = "application/json";

export function json(status: number, value: unknown, headers?: Record<string, string>): AppResponse {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

export function errorBody(code: string, message: string): string {
  return JSON.stringify({ detail: { code, message } });
}

export function errorResponse(error: HttpError): AppResponse {
  return { status: error.status, headers: { "content-type": JSON_TYPE, ...error.headers }, body: errorBody(error.code, error.message) };
}

/** Headers every answer carries: the request id, and CORS so browsers can use a local server. */
export function decorate(response: AppResponse, requestId: string): AppResponse {
  const headers = response.headers;
  headers["x-request-id"] = requestId;
  headers["access-control-allow-origin"] = "*";
  headers["access-control-expose-headers"] = "X-Request-ID, Retry-After, Idempotent-Replayed, WWW-Authenticate";
  return response;
}

export function preflight(): AppResponse {
  return {
    status: 204,
    headers: {
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers":
        "Authorization, Content-Type, Accept, Idempotency-Key, X-Session-Id, X-Noukai-API-Version, X-Request-ID, User-Agent",
      "access-control-max-age": "600",
    },
    body: null,
  };
}
