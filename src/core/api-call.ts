import type { CoreConfig } from "./config.js";
import type { HttpRequest } from "./effects.js";
import type { NotFoundResource } from "./errors.js";
import type { CallHooks } from "./middleware.js";
import type { StreamDeadline } from "./stream-deadline.js";

/** One logical request of a flow operation, before it becomes bytes. */
export interface ApiCall {
  method: "GET" | "POST";
  /** API path without query; this is what log events show. */
  path: string;
  /** `?attempt=all&loop_index=0`, or empty. */
  query?: string;
  body?: Record<string, unknown>;
  /** Sent as `X-Session-Id`. */
  sessionId?: string | undefined;
  /** POSTs that start or resume a run carry an `Idempotency-Key`, the same on every retry. */
  idempotent?: boolean;
  /** Bounds a whole answer (all attempts together); on a stream, the wait for its headers and each silence in its body. */
  timeoutMs: number;
  /** A stream's `totalTimeout`, which no wait may outlast. */
  deadline?: StreamDeadline | undefined;
  /** Accept `text/event-stream` instead of JSON. */
  stream?: boolean;
  /** Known execution, copied onto errors. */
  executionId?: string | undefined;
  /** What a 404 would be missing when the server's code does not say (default: the flow). */
  missing?: NotFoundResource;
  /** The SDK call this request belongs to, and the middleware around it (undefined when there is none). */
  hooks?: CallHooks | undefined;
}

/** Serialises a call once; retries resend the very same bytes and idempotency key. */
export function buildRequest(config: CoreConfig, call: ApiCall): HttpRequest {
  const base = config.baseHeaders;
  // A literal, not a spread of `base`: adding keys to a spread copy costs microseconds per call.
  const headers: Record<string, string> = {
    authorization: config.credentials.authorization(),
    "x-noukai-api-version": base["x-noukai-api-version"],
    "user-agent": base["user-agent"],
    accept: call.stream ? "text/event-stream" : "application/json",
  };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers["content-type"] = "application/json";
  }
  if (call.sessionId !== undefined) headers["x-session-id"] = call.sessionId;
  if (call.idempotent) headers["idempotency-key"] = config.newId();
  return { method: call.method, path: call.path + (call.query ?? ""), headers, body };
}
