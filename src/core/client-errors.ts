/**
 * The errors the client raises itself, each built in one place, so each
 * reads the same wherever it happens.
 */
import type { JsonResponse } from "./exchange.js";
import { APIUserAbortError, FlowExecutionError, ToolCallLimitError } from "./errors.js";

/** What a call is cancelled with when its client is closed (rather than by a caller's signal). */
export const CLIENT_CLOSED = Symbol("noukai.clientClosed");

/**
 * A call cancelled by its AbortSignal (or the client's), or by `close()`:
 * `what` names what was under way (`POST /seq/…/execute`, or `The call`).
 */
export function cancelled(what: string, reason: unknown): APIUserAbortError {
  if (reason === CLIENT_CLOSED) return new APIUserAbortError(`${what} was cancelled because the client was closed.`, { code: "CLIENT_CLOSED" });
  return new APIUserAbortError(`${what} was cancelled by its AbortSignal.`, { code: "ABORTED", cause: reason });
}

/** The flow asked for another round of tool calls than `maxToolRounds` allows. */
export function toolCallLimit(maxRounds: number, executionId: string | undefined): ToolCallLimitError {
  const run = executionId === undefined ? "The run stays paused" : `Its run ${executionId} stays paused`;
  return new ToolCallLimitError(
    `The flow asked for round ${maxRounds + 1} of tool calls, beyond maxToolRounds (${maxRounds}). ${run}; raise maxToolRounds to let it go further.`,
    { code: "TOOL_CALL_LIMIT_CLIENT", executionId },
  );
}

/** A successful answer the client cannot use: `what` names the answer (`execute`, `the job status`), `problem` what is wrong. */
export function invalidResponse(what: string, problem: string, response: JsonResponse, executionId?: string): FlowExecutionError {
  return new FlowExecutionError(`The server's answer to ${what} cannot be read: ${problem}.`, {
    statusCode: response.status,
    code: "INVALID_RESPONSE",
    requestId: response.headers["x-request-id"],
    executionId,
    headers: response.headers,
    responseBody: response.data,
  });
}
