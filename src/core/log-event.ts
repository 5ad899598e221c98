/** What `onLog` receives: one event per request, response and retry. camelCase; never a key, header or URL. */
export interface LogEvent {
  phase: "request" | "response" | "retry";
  method: "GET" | "POST";
  /** The API path, without base URL or query: `/seq/acme/support/triage/execute`. */
  path: string;
  /** 0 for the first attempt, 1 for the first retry, … */
  attempt: number;
  statusCode?: number;
  requestId?: string;
  /** The JSON body sent (only with `logPayloads: true`). */
  requestBody?: unknown;
  /** The JSON body received (only with `logPayloads: true`; not for streams). */
  responseBody?: unknown;
  /** On `retry`: how long the client waits before the next attempt. */
  delayMs?: number;
  /** On `retry` after a failed connection: what went wrong. */
  error?: string;
}
