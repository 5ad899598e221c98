/**
 * The codes an error's `code` can hold: the client's own (`ErrorCode`), and
 * the service's (`ServerErrorCode`, from `{"detail":{"code"}}`). Branch on
 * them rather than on messages, which may change.
 */

/** Codes the client gives the errors it raises itself. */
export type ErrorCode =
  /** The call's AbortSignal (or the client's) fired. */
  | "ABORTED"
  /** The client was closed while the call was in flight, or before it. */
  | "CLIENT_CLOSED"
  /** `timeout` passed: no headers, a whole answer not complete, or a stream silent for that long. */
  | "TIMEOUT"
  /** A stream ran past its `totalTimeout`. */
  | "TOTAL_TIMEOUT"
  /** `job.wait()` gave up before the job finished. */
  | "JOB_WAIT_TIMEOUT"
  /** The connection failed (the transport's own code, such as ECONNRESET, is used when it has one). */
  | "CONNECTION_ERROR"
  /** A successful answer was larger than `maxResponseBytes`. */
  | "RESPONSE_TOO_LARGE"
  /** One event of a stream was larger than the client accepts. */
  | "EVENT_TOO_LARGE"
  /** A /step stream ended without a pause or a terminal event. */
  | "STREAM_INCOMPLETE"
  /** The server sent an event the client cannot use (not JSON, missing fields, a pause without progress). */
  | "INVALID_EVENT"
  /** The server's answer cannot be read (not JSON, no status, …). */
  | "INVALID_RESPONSE"
  /** The server answered with a redirect, which the client never follows. */
  | "UNEXPECTED_REDIRECT"
  /** A step failed, and its event named no code of its own. */
  | "STEP_FAILED"
  /** The flow failed, and its event named no code of its own. */
  | "FLOW_FAILED"
  /** The flow asked for more tool rounds than `maxToolRounds`. */
  | "TOOL_CALL_LIMIT_CLIENT"
  /** `steps()` met a tool pause and had no `toolHandler` to answer it. */
  | "TOOL_HANDLER_REQUIRED"
  /** No API key was given, and NOUKAI_API_KEY is not set. */
  | "MISSING_API_KEY"
  /** The API key is not a key (`nk_` and visible ASCII). */
  | "INVALID_API_KEY"
  /** The HTTP library could not be loaded. */
  | "TRANSPORT_UNAVAILABLE"
  /** The blocking client's I/O thread stopped answering. */
  | "WORKER_LOST"
  /** The blocking client's I/O thread failed in a way it could not name. */
  | "WORKER_ERROR";

/** Codes the Noukai service sends in `{"detail":{"code"}}`, as documented by the service and its official clients. */
const SERVER_CODES = [
  "FLOW_NOT_FOUND", "VERSION_NOT_FOUND", "JOB_NOT_FOUND", "RUN_NOT_FOUND", "STEP_NOT_FOUND", "INVALID_TREE",
  "NO_STEPS", "INSUFFICIENT_CREDITS", "CREDITS_EXHAUSTED", "BILLING_UNAVAILABLE", "INTERNAL_ERROR",
  "TOOLS_NOT_ENABLED", "TOOLS_INVALID", "TOOL_NAME_INVALID", "TOOLS_IN_NON_SEQUENTIAL_STEP", "PAUSED_STEP_INVALID",
  "EXECUTION_ID_INVALID", "TOOL_RESULTS_MISMATCH", "TOOL_ITERATION_LIMIT", "MESSAGES_TOO_LARGE",
  "MESSAGES_ROLE_INVALID", "TOOLS_REQUIRE_SYNC_EXECUTE", "INVALID_STEP_INDEX", "INVALID_FIRST_CALL", "INVALID_VERSION",
  "STALE_TREE", "MISSING_MESSAGE", "BYOK_KEY_REJECTED", "UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "NOT_FOUND",
  "BAD_REQUEST", "GONE",
] as const;

export type ServerErrorCode = (typeof SERVER_CODES)[number];

/** Each server code under its own name (`ServerErrorCode.FLOW_NOT_FOUND === "FLOW_NOT_FOUND"`), built from the list above so that no name is written twice. */
export const ServerErrorCode = Object.fromEntries(SERVER_CODES.map((code) => [code, code])) as { readonly [Code in ServerErrorCode]: Code };
