import { ValueError } from "./errors.js";
import { describe } from "./identifiers.js";
import { assertJsonValue } from "./json-value.js";
import type { ChatMessage, ToolCall } from "./types.js";

/** The wire form of one tool result (OpenAI style). */
export interface ToolMessage {
  role: "tool";
  tool_call_id: string;
  content: string;
  [key: string]: unknown;
}

/**
 * Checks the caller's tool results against the calls they answer and turns
 * them into the one shape the service is sent. Each call must be answered
 * exactly once; a missing, unknown or repeated id is a `ValueError` naming
 * `source` before anything is sent, since the service would refuse it anyway
 * after a round trip. Results are put in the order of the calls.
 */
export function toToolMessages(results: unknown, calls: readonly ToolCall[], source: string): ToolMessage[] {
  if (!Array.isArray(results)) {
    throw new TypeError(`${source} must be an array of tool results, got ${describe(results)}.`);
  }
  const byId = new Map<string, ToolMessage>();
  results.forEach((result, index) => {
    const message = toToolMessage(result, `${source}[${index}]`);
    if (byId.has(message.tool_call_id)) {
      throw new ValueError(`${source} answers tool call "${message.tool_call_id}" more than once.`);
    }
    byId.set(message.tool_call_id, message);
  });
  const expected = new Set(calls.map((call) => call.id));
  for (const id of byId.keys()) {
    if (!expected.has(id)) {
      throw new ValueError(
        `${source} answers tool call "${id}", which the flow did not ask for (it asked for ${listIds(calls)}).`,
      );
    }
  }
  const missing = calls.filter((call) => !byId.has(call.id));
  if (missing.length > 0) {
    throw new ValueError(`${source} has no result for tool call ${listIds(missing)}.`);
  }
  return calls.map((call) => byId.get(call.id) as ToolMessage);
}

function toToolMessage(result: unknown, where: string): ToolMessage {
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    throw new TypeError(`${where} must be an object such as { toolCallId, output }, got ${describe(result)}.`);
  }
  const fields = result as Record<string, unknown>;
  const id = fields["toolCallId"] ?? fields["tool_call_id"];
  if (typeof id !== "string" || id === "") {
    throw new ValueError(`${where} needs the id of the call it answers (toolCallId or tool_call_id).`);
  }
  if (fields["role"] !== undefined && fields["role"] !== "tool") {
    throw new ValueError(`${where}.role must be "tool" when given, got ${describe(fields["role"])}.`);
  }
  const hasOutput = "output" in fields;
  const hasContent = "content" in fields;
  if (hasOutput === hasContent) {
    throw new ValueError(`${where} needs exactly one of output or content.`);
  }
  const value = hasOutput ? fields["output"] : fields["content"];
  if (typeof value === "string") return { role: "tool", tool_call_id: id, content: value };
  if (value === undefined) throw new ValueError(`${where} has an undefined ${hasOutput ? "output" : "content"}.`);
  assertJsonValue(value, `${where}.${hasOutput ? "output" : "content"}`);
  return { role: "tool", tool_call_id: id, content: JSON.stringify(value) };
}

function listIds(calls: readonly ToolCall[]): string {
  return calls.map((call) => `"${call.id}"`).join(", ") || "none";
}

/** The conversation a resume sends: the paused messages, then the results. */
export function resumeMessages(paused: readonly ChatMessage[], results: readonly ToolMessage[]): ChatMessage[] {
  return [...paused, ...(results as ChatMessage[])];
}
