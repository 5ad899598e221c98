import type { FaultRule } from "../faults/rules.js";
import type { AppResponse } from "./http-types.js";
import type { ByteSink } from "../byte-sink.js";
import { errorBody } from "./respond.js";

const CODES: Record<number, string> = {
  408: "REQUEST_TIMEOUT",
  429: "RATE_LIMITED",
  500: "INTERNAL_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/** The answer of a `status` fault: a detail body, a proxy's HTML page, nothing, or given text. */
export function faultResponse(rule: FaultRule, route: string, now: number): AppResponse {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = {};
  if (rule.retryAfter !== undefined) headers["retry-after"] = retryAfterValue(rule.retryAfter, now);
  const kind = rule.body ?? "json";
  let body: string | null;
  if (kind === "json") {
    headers["content-type"] = "application/json";
    body = errorBody(CODES[status] ?? "INJECTED_FAULT", `injected fault: HTTP ${status} on the ${route} route`);
  } else if (kind === "html") {
    headers["content-type"] = "text/html; charset=utf-8";
    body = `<!DOCTYPE html>\n<html><head><title>${status} Error</title></head><body><h1>${status} Error</h1><p>The gateway in front of the service answered instead of the service (injected fault).</p></body></html>\n`;
  } else if (kind === "empty") {
    body = null;
  } else {
    headers["content-type"] = "text/plain; charset=utf-8";
    body = kind;
  }
  return { status, headers, body };
}

function retryAfterValue(value: number | string, now: number): string {
  if (typeof value === "number") return String(value);
  const relative = /^http-date\+(\d+)$/.exec(value);
  return relative ? new Date(now + Number(relative[1]) * 1000).toUTCString() : value;
}

/** `reset: "after"`: let the request run to its end (streams included), then drop the answer. */
export async function consume(response: AppResponse): Promise<void> {
  const body = response.body;
  if (typeof body !== "function") return;
  let closed = false;
  const listeners: Array<() => void> = [];
  const sink: ByteSink = {
    write: () => true,
    drain: () => Promise.resolve(),
    end: () => {
      if (closed) return;
      closed = true;
      listeners.splice(0).forEach((listener) => listener());
    },
    destroy: () => sink.end(),
    get closed() {
      return closed;
    },
    onClose: (listener) => void listeners.push(listener),
  };
  await body(sink);
  sink.end();
}
