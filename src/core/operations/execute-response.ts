import { FlowExecutionError } from "../errors.js";
import type { JsonResponse } from "../exchange.js";
import type { ChatMessage, ExecuteResult, PausedState, ToolCall } from "../types.js";

/** The wire fields of a paused `/execute` answer: a paused state without what the client adds. */
export type PausedWire = Omit<PausedState, "flow" | "request" | "sessionId">;

export type ExecuteAnswer = { paused: false; result: ExecuteResult } | { paused: true; wire: PausedWire };

/** Reads an `/execute` answer: a finished run, or a pause for tool calls. */
export function readExecuteAnswer(response: JsonResponse, sessionId: string | undefined): ExecuteAnswer {
  const body = response.data;
  if (typeof body !== "object" || body === null || Array.isArray(body) || typeof (body as { status?: unknown }).status !== "string") {
    throw invalid(response, "it has no status");
  }
  const fields = body as Record<string, unknown>;
  if (fields["status"] === "tool_calls_required") return { paused: true, wire: readPaused(response, fields) };
  // The parsed body is this call's own object: completed in place (a copy costs more than the parse).
  const result = fields;
  if (!("result" in result)) result["result"] = null;
  if (!("executionId" in result)) result["executionId"] = undefined;
  if (sessionId !== undefined) result["sessionId"] = sessionId;
  Object.defineProperty(result, "requiresToolCalls", { value: false, enumerable: false });
  return { paused: false, result: result as unknown as ExecuteResult };
}

function readPaused(response: JsonResponse, fields: Record<string, unknown>): PausedWire {
  const need = (key: string, ok: (value: unknown) => boolean): void => {
    if (!ok(fields[key])) throw invalid(response, `the tool-call pause has no valid "${key}"`);
  };
  need("executionId", (v) => typeof v === "string" && v !== "");
  need("pausedAtStep", (v) => typeof v === "string");
  need("iterationsUsed", (v) => typeof v === "number");
  need("toolCallMessages", Array.isArray);
  need("toolCalls", Array.isArray);
  const outputs = fields["accumulatedOutputs"];
  return {
    status: "tool_calls_required",
    executionId: fields["executionId"] as string,
    pausedAtStep: fields["pausedAtStep"] as string,
    iterationsUsed: fields["iterationsUsed"] as number,
    toolCallMessages: fields["toolCallMessages"] as ChatMessage[],
    toolCalls: fields["toolCalls"] as ToolCall[],
    accumulatedOutputs: typeof outputs === "object" && outputs !== null ? (outputs as Record<string, unknown>) : {},
    flowId: typeof fields["flowId"] === "string" ? fields["flowId"] : "",
    blockCount: typeof fields["blockCount"] === "number" ? fields["blockCount"] : 0,
  };
}

function invalid(response: JsonResponse, problem: string): FlowExecutionError {
  return new FlowExecutionError(`The server's answer to execute cannot be read: ${problem}.`, {
    statusCode: response.status,
    code: "INVALID_RESPONSE",
    requestId: response.headers["x-request-id"],
    headers: response.headers,
    responseBody: response.data,
  });
}
