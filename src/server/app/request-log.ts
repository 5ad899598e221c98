import type { RequestLogEntry } from "../options.js";
import type { ByteSink } from "../byte-sink.js";
import type { AppRequest, AppResponse } from "./http-types.js";

const EXECUTION_IN_PATH = /\/(?:runs|jobs)\/([^/]+)/;
const EXECUTION_IN_BODY = /"executionId":"([^"\\]{1,200})"/;

/**
 * Reports a request to `onRequest` once its answer is done: at once for a
 * whole answer, when the stream ends for a streamed one. The execution id
 * comes from the path (`/runs/{id}`, `/jobs/{id}`) or the answer's first
 * `"executionId"` (an execute's body, a stream's `run_started`), so no
 * handler has to know about the log.
 */
export function logged(response: AppResponse, request: AppRequest, requestId: string, startedAt: number, onRequest: (entry: RequestLogEntry) => void): AppResponse {
  let executionId = EXECUTION_IN_PATH.exec(request.path)?.[1];
  const report = () => {
    const entry: RequestLogEntry = { method: request.method, path: request.path, status: response.reset === true ? 0 : response.status, durationMs: performance.now() - startedAt, requestId };
    if (executionId !== undefined) entry.executionId = safeDecode(executionId);
    onRequest(entry);
  };
  const body = response.body;
  if (typeof body !== "function") {
    if (executionId === undefined && typeof body === "string") executionId = EXECUTION_IN_BODY.exec(body.slice(0, 4096))?.[1];
    report();
    return response;
  }
  return {
    ...response,
    body: async (sink) => {
      const watching: ByteSink = {
        write: (chunk) => {
          executionId ??= EXECUTION_IN_BODY.exec(chunk)?.[1];
          return sink.write(chunk);
        },
        drain: () => sink.drain(),
        end: () => sink.end(),
        destroy: () => sink.destroy(),
        get closed() {
          return sink.closed;
        },
        onClose: (listener) => sink.onClose(listener),
      };
      try {
        await body(watching);
      } finally {
        report();
      }
    },
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
