/** What `onLog` receives: an event per request, response and retry, and per scope opened and closed. camelCase; never a key, header or URL. */
export type LogEvent = CallLogEvent | ScopeLogEvent;

/** A request sent, an answer received, or a retry about to be made. */
export interface CallLogEvent {
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

/** A capture or replay scope opened, or closed (always, however its code ended). */
export interface ScopeLogEvent {
  phase: "scope_open" | "scope_close";
  mode: "normal" | "capture" | "record" | "replay";
  /** The session its calls are tagged with (capture), or replayed from; null in normal mode. */
  sessionId: string | null;
  /** Replay: where the answers come from. */
  source?: "session" | "cassette";
  /** A replay session id was given, but NOUKAI_REPLAY_ENABLED was not set: the scope captured instead. */
  replayIgnored?: true;
  /** On `scope_close` of a replay: recorded calls the code never made (when leftovers are not an error). */
  leftovers?: number;
  /** On `scope_close` of a recording: where the cassette was written. */
  cassette?: string;
  // Absent here, declared so that code reading them off any LogEvent (as with the official client's one interface) still compiles.
  method?: undefined;
  path?: undefined;
  attempt?: undefined;
  statusCode?: undefined;
  requestId?: undefined;
  requestBody?: undefined;
  responseBody?: undefined;
  delayMs?: undefined;
  error?: undefined;
}
