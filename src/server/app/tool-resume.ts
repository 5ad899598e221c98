import { readToolResult, trailingMessages, type ToolResult } from "../engine/messages.js";
import type { Execution } from "../engine/execution.js";
import type { JsonValue } from "../flows/types.js";
import { HttpError } from "./http-error.js";

/**
 * Checks a tool resume against the calls the run is waiting on and returns
 * the results in the order the calls were asked. The results are what follows
 * the last assistant turn with `tool_calls` in `toolCallMessages`; their ids
 * must match the pending calls exactly.
 */
export function checkToolResume(run: Execution, toolCallMessages: readonly JsonValue[], iterationsUsed: number | undefined): ToolResult[] {
  const state = run.toolState;
  if (!state) throw new HttpError(409, "PAUSED_STEP_INVALID", `execution ${run.id} is not paused for tool calls`);
  const limit = run.flow.toolIterationLimit;
  if (iterationsUsed !== undefined && iterationsUsed > limit) {
    throw new HttpError(409, "TOOL_ITERATION_LIMIT", `iterationsUsed ${iterationsUsed} is beyond this flow's limit of ${limit} tool rounds`);
  }
  const { offset, tail } = trailingMessages(toolCallMessages);
  const given = new Map<string, ToolResult>();
  const problems: string[] = [];
  tail.forEach((message, index) => {
    const result = readToolResult(message);
    if (!result) {
      problems.push(`toolCallMessages[${offset + index}] is not a tool result (expected {role:"tool", tool_call_id, content})`);
    } else if (given.has(result.toolCallId)) {
      problems.push(`more than one result for ${result.toolCallId}`);
    } else {
      given.set(result.toolCallId, result);
    }
  });
  const pending = state.pendingCalls.map((call) => call.id);
  const missing = pending.filter((id) => !given.has(id));
  const unknown = [...given.keys()].filter((id) => !pending.includes(id));
  if (missing.length > 0) problems.push(`missing results for ${missing.join(", ")}`);
  if (unknown.length > 0) problems.push(`results for calls that are not pending: ${unknown.join(", ")}`);
  if (problems.length > 0) {
    throw new HttpError(400, "TOOL_RESULTS_MISMATCH", `tool results do not match the pending calls (${pending.join(", ")}): ${problems.join("; ")}`);
  }
  return pending.map((id) => given.get(id) as ToolResult);
}
