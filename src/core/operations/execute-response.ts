import { invalidResponse } from "../client-errors.js";
import type { JsonResponse } from "../exchange.js";
import { isJsonObject } from "../json-object.js";
import { toolCallsProblem } from "../tool-call-shape.js";
import type { ExecuteResult, PausedState } from "../types.js";

/** The wire fields of a paused `/execute` answer: a paused state without what the client adds. */
export type PausedWire = Omit<PausedState, "flow" | "request" | "sessionId">;

export type ExecuteAnswer = { paused: false; result: ExecuteResult } | { paused: true; wire: PausedWire };

/** Reads an `/execute` answer: a finished run, or a pause for tool calls. */
export function readExecuteAnswer(response: JsonResponse): ExecuteAnswer {
  const fields = response.data;
  if (!isJsonObject(fields) || typeof fields["status"] !== "string") throw invalidResponse("execute", "it has no status", response);
  if (fields["status"] === "tool_calls_required") return { paused: true, wire: readPaused(response, fields) };
  return { paused: false, result: completeResult(fields, response.sessionId) };
}

/**
 * A finished run's answer, as the official client reads it: every field the
 * service sent, unchecked but for `status`, plus `result` and `executionId`
 * when missing. The parsed body is this call's own object and is completed
 * in place: a copy costs more than the parse.
 */
function completeResult(fields: Record<string, unknown>, sessionId: string | undefined): ExecuteResult {
  if (!Object.hasOwn(fields, "result")) fields["result"] = null;
  if (!Object.hasOwn(fields, "executionId")) fields["executionId"] = undefined;
  if (sessionId !== undefined) fields["sessionId"] = sessionId;
  Object.defineProperty(fields, "requiresToolCalls", { value: false, enumerable: false });
  return fields as Record<string, unknown> & ExecuteResult;
}

function readPaused(response: JsonResponse, fields: Record<string, unknown>): PausedWire {
  const invalid = (field: string) => invalidResponse("execute", `the tool-call pause has no valid "${field}"`, response);
  const { executionId, pausedAtStep, iterationsUsed, toolCallMessages, toolCalls, accumulatedOutputs, flowId, blockCount } = fields;
  if (typeof executionId !== "string" || executionId === "") throw invalid("executionId");
  if (typeof pausedAtStep !== "string") throw invalid("pausedAtStep");
  if (typeof iterationsUsed !== "number") throw invalid("iterationsUsed");
  if (!Array.isArray(toolCallMessages)) throw invalid("toolCallMessages");
  if (!Array.isArray(toolCalls)) throw invalid("toolCalls");
  const callsProblem = toolCallsProblem(toolCalls);
  if (callsProblem !== undefined) throw invalidResponse("execute", `the tool-call pause's ${callsProblem}`, response);
  // Their items are the service's to shape; they go back to it as they came, as the official client does.
  const messages = toolCallMessages as PausedWire["toolCallMessages"];
  const calls = toolCalls as PausedWire["toolCalls"];
  return {
    status: "tool_calls_required",
    executionId,
    pausedAtStep,
    iterationsUsed,
    toolCallMessages: messages,
    toolCalls: calls,
    accumulatedOutputs: isJsonObject(accumulatedOutputs) ? accumulatedOutputs : {},
    flowId: typeof flowId === "string" ? flowId : "",
    blockCount: typeof blockCount === "number" ? blockCount : 0,
  };
}
