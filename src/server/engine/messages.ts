import type { JsonValue } from "../flows/types.js";

/** An OpenAI-style chat message as it travels in `messages` / `toolCallMessages`. */
export type ChatMessage = Record<string, JsonValue>;

// A type, not an interface: a tool call is JSON, and is kept as such in the conversation.
export type ToolCall = {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
};

export interface ToolResult {
  toolCallId: string;
  /** A string content stays a string; any other content is used as JSON. */
  value: JsonValue;
}

/**
 * Reads a tool result in any of the three accepted spellings:
 * `{role:"tool",tool_call_id,content}`, `{role:"tool",toolCallId,content}`,
 * `{tool_call_id,output}`. Returns undefined for anything else.
 */
export function readToolResult(message: unknown): ToolResult | undefined {
  if (message === null || typeof message !== "object" || Array.isArray(message)) return undefined;
  const m = message as Record<string, JsonValue>;
  if (m.role !== undefined && m.role !== "tool") return undefined;
  const id = typeof m.tool_call_id === "string" ? m.tool_call_id : typeof m.toolCallId === "string" ? m.toolCallId : undefined;
  if (id === undefined) return undefined;
  if (Object.hasOwn(m, "content")) return { toolCallId: id, value: m.content ?? null };
  if (Object.hasOwn(m, "output")) return { toolCallId: id, value: m.output ?? null };
  return undefined;
}

/** The OpenAI wire form the server keeps in its conversation. */
export function toolMessage(result: ToolResult): ChatMessage {
  const content = typeof result.value === "string" ? result.value : JSON.stringify(result.value);
  return { role: "tool", tool_call_id: result.toolCallId, content };
}

/** The tail of a resume's `toolCallMessages`: what follows the last assistant turn with `tool_calls`. */
export function trailingMessages(messages: readonly JsonValue[]): { offset: number; tail: JsonValue[] } {
  let offset = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message !== null && typeof message === "object" && !Array.isArray(message) && Array.isArray(message.tool_calls)) {
      offset = i + 1;
      break;
    }
  }
  return { offset, tail: messages.slice(offset) };
}

/** The user's text: `message`, else the content of the last user turn of `messages`. */
export function lastUserText(messages: readonly ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === "user") {
      const content = message.content;
      if (typeof content === "string") return content;
      return content === undefined || content === null ? null : JSON.stringify(content);
    }
  }
  return null;
}
