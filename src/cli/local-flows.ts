import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  FlowExecutionError,
  InternalServerError,
  type NoukaiError,
  PermissionDeniedError,
  RateLimitError,
} from "../index.js";
import type { Target } from "./target.js";

/** One flow of `GET /api/v1/local/flows`, as the local server lists it. */
export interface LocalFlow {
  org: string;
  project: string;
  slug: string;
  name: string | null;
  steps: number;
  versions: number[];
  production: number | null;
}

/**
 * Reads the local server's own listing. The clients have no method for it
 * (the hosted service has no such route), so it is one plain GET; a failure
 * becomes the client's error class for it, so that it is reported (and
 * exits) as any other call's would.
 */
export async function fetchLocalFlows(
  target: Target,
  apiKey: string,
  options: { signal: AbortSignal; timeoutMs: number; debug?: ((line: string) => void) | undefined },
): Promise<LocalFlow[]> {
  const url = `${target.baseUrl}/local/flows`;
  const started = performance.now();
  options.debug?.(`debug: → GET ${url}`);
  options.debug?.("debug:   authorization: Bearer nk_…[redacted]");
  // AbortSignal.any is Node 20's; on 18 the two stops are joined by hand.
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new DOMException("timed out", "TimeoutError")), options.timeoutMs);
  const onAbort = () => stop.abort(options.signal.reason);
  options.signal.addEventListener("abort", onAbort, { once: true });
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}`, accept: "application/json" }, signal: stop.signal, redirect: "manual" });
    text = (await response.text()).split(apiKey).join("nk_…[redacted]");
  } catch (error) {
    throw transportError(error, stop.signal, options.signal, options.timeoutMs);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", onAbort);
  }
  options.debug?.(`debug: ← ${response.status} GET /local/flows (${Math.round(performance.now() - started)} ms)`);
  if (!response.ok) throw statusError(response, text);
  const body = JSON.parse(text) as { flows?: unknown };
  if (!Array.isArray(body.flows)) throw new APIConnectionError("the server's flow listing has no flows array", { code: "INVALID_RESPONSE" });
  return body.flows as LocalFlow[];
}

function transportError(error: unknown, stop: AbortSignal, userSignal: AbortSignal, timeoutMs: number): unknown {
  if (userSignal.aborted) return new APIUserAbortError("GET /local/flows was cancelled", { cause: error });
  if (stop.aborted) {
    return new APITimeoutError(`GET /local/flows timed out after ${timeoutMs} ms`, { code: "TIMEOUT" });
  }
  // fetch wraps the socket's failure: its code (ECONNREFUSED, ENOTFOUND) is on the cause.
  const code = ((error as { cause?: { code?: unknown } }).cause?.code as string | undefined) ?? "CONNECTION_ERROR";
  const failure: NoukaiError = new APIConnectionError(`GET /local/flows failed before any response arrived (${code}).`, { code, cause: error });
  return failure;
}

/**
 * A refusal as the client's error class for its status, so that it reads and
 * exits as any other call's (the CLI reaches the clients through their public
 * entry only, so it builds the error here rather than from their internals).
 */
function statusError(response: Response, text: string): NoukaiError {
  let detail: { code?: unknown; message?: unknown } = {};
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    if (body.detail !== null && typeof body.detail === "object") detail = body.detail;
  } catch {
    // Not JSON: the status says enough.
  }
  const code = typeof detail.code === "string" ? detail.code : undefined;
  const message = `HTTP ${response.status}${code === undefined ? "" : ` ${code}`}: ${typeof detail.message === "string" ? detail.message : response.statusText}`;
  const init = { statusCode: response.status, code, requestId: response.headers.get("x-request-id") ?? undefined };
  if (response.status === 401) return new AuthenticationError(message, init);
  if (response.status === 403) return new PermissionDeniedError(message, init);
  if (response.status === 429) return new RateLimitError(message, init);
  if (response.status >= 500) return new InternalServerError(message, init);
  return new FlowExecutionError(message, init);
}
