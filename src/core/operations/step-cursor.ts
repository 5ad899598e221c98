import type { ChatMessage } from "../types.js";
import { pick } from "./context.js";

/**
 * Where a step-by-step run stands between `/step` calls: the run's id once
 * known, the flow-absolute index of the next step, every completed step's
 * output, and the tool results waiting to be sent.
 */
export interface StepCursor {
  executionId: string | undefined;
  stepIndex: number;
  outputs: Record<string, unknown>;
  pendingTools: { toolCallMessages: ChatMessage[]; iterationsUsed: number } | undefined;
}

export function newCursor(): StepCursor {
  return { executionId: undefined, stepIndex: 0, outputs: {}, pendingTools: undefined };
}

const ALWAYS_IF_SET = ["blockOverrides", "tools", "toolChoice"] as const;

/**
 * The body of the next `/step` call. Field for field what the official
 * TypeScript client sends for the same call (Part A §4): the message only on
 * the very first call, the parameters whenever the step index is 0, `null`
 * and `{}` otherwise. `messages`, an addition, stands in for `message`.
 */
export function stepBody(options: Record<string, unknown>, cursor: StepCursor): Record<string, unknown> {
  const firstCall = cursor.stepIndex === 0 && cursor.pendingTools === undefined;
  const body: Record<string, unknown> = {
    stepIndex: cursor.stepIndex,
    accumulatedOutputs: { ...cursor.outputs },
  };
  if (firstCall && options["messages"] !== undefined) body["messages"] = options["messages"];
  else body["message"] = firstCall ? (options["message"] ?? null) : null;
  body["parameters"] = cursor.stepIndex === 0 ? (options["parameters"] ?? {}) : {};
  body["inputOverrides"] = options["inputOverrides"] ?? {};
  body["runRemaining"] = options["runRemaining"] ?? false;
  body["iterationsUsed"] = cursor.pendingTools?.iterationsUsed ?? 0;
  body["trace"] = options["trace"] ?? false;
  if (cursor.executionId !== undefined) body["executionId"] = cursor.executionId;
  pick(options, ALWAYS_IF_SET, undefined, body);
  if (cursor.pendingTools !== undefined) body["toolCallMessages"] = cursor.pendingTools.toolCallMessages;
  return body;
}
