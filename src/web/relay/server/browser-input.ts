import { MAX_SENT_DEPTH, nestedDeeperThan } from "../../../core/json-depth.js";
import { isJsonObject } from "../../../core/json-object.js";
import type { ChatMessage, ToolChoice, ToolDefinition } from "../../../core/types.js";
import { RelayCode } from "../protocol.js";
import type { BrowserField, RelayInput } from "./options.js";
import { RelayRefusal } from "./refusal.js";

/**
 * What a browser may send, as an allow-list: a fresh run's `message` or
 * `messages` (and `tools`/`toolChoice` when the relay allows them), or a
 * resume's `token` and `toolResults`. Any other field is refused by name,
 * not dropped, so a page that tries to set `parameters` learns at once that
 * the server sets them.
 */
export type BrowserRequest =
  | { readonly kind: "fresh"; readonly input: RelayInput }
  | { readonly kind: "resume"; readonly token: string; readonly toolResults: unknown[] };

export interface InputLimits {
  maxMessages: number;
  browserFields: ReadonlySet<BrowserField>;
}

const ROLES = new Set(["user", "assistant", "tool"]);
const MESSAGE_KEYS = new Set(["role", "content", "name", "tool_calls", "tool_call_id"]);
const TOOL_CHOICES = new Set(["auto", "none", "required"]);
const MAX_TOOLS = 64;

export function parseBrowserBody(bytes: Uint8Array, limits: InputLimits): BrowserRequest {
  const body = jsonObjectOf(bytes);
  if (Object.hasOwn(body, "token")) return resumeOf(body, limits);
  return { kind: "fresh", input: freshOf(body, limits) };
}

function jsonObjectOf(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid(RelayCode.INVALID_JSON, "The body is not UTF-8 text.");
  }
  if (text.trim() === "") throw invalid(RelayCode.INVALID_JSON, "The body is empty: send { message } or { token, toolResults }.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(RelayCode.INVALID_JSON, "The body is not JSON.");
  }
  if (!isJsonObject(value)) throw invalid(RelayCode.INVALID_JSON, "The body must be a JSON object.");
  // What a page sends becomes the client's input, which may nest no deeper.
  if (nestedDeeperThan(text, value, MAX_SENT_DEPTH)) throw invalid(RelayCode.INVALID_INPUT, `The body is nested more than ${MAX_SENT_DEPTH} levels deep.`);
  return value;
}

function resumeOf(body: Record<string, unknown>, limits: InputLimits): BrowserRequest {
  refuseOthers(body, new Set(["token", "toolResults"]), "a resume sends only token and toolResults");
  const { token, toolResults } = body;
  if (typeof token !== "string" || token === "") throw invalid(RelayCode.INVALID_INPUT, "token must be the string the relay gave with the tool calls.");
  if (!Array.isArray(toolResults) || toolResults.length === 0) throw invalid(RelayCode.INVALID_INPUT, "toolResults must be a non-empty array, one result per tool call.");
  if (toolResults.length > limits.maxMessages) throw tooMany("toolResults", toolResults.length, limits.maxMessages);
  toolResults.forEach((result, index) => {
    if (!isJsonObject(result)) throw invalid(RelayCode.INVALID_INPUT, `toolResults[${index}] must be an object such as { toolCallId, output }.`);
  });
  return { kind: "resume", token, toolResults };
}

function freshOf(body: Record<string, unknown>, limits: InputLimits): RelayInput {
  refuseOthers(body, new Set(["message", "messages", ...limits.browserFields]), "the server sets every other field of a run");
  const hasMessage = body["message"] !== undefined;
  if (hasMessage === (body["messages"] !== undefined)) throw invalid(RelayCode.INVALID_INPUT, "Send exactly one of message (text) or messages (a conversation).");
  const message = body["message"];
  if (hasMessage && typeof message !== "string") throw invalid(RelayCode.INVALID_INPUT, "message must be text.");
  const input: RelayInput = typeof message === "string" ? { message } : { messages: messagesOf(body["messages"], limits.maxMessages) };
  if (body["tools"] !== undefined) input.tools = toolsOf(body["tools"]);
  if (body["toolChoice"] !== undefined) input.toolChoice = toolChoiceOf(body["toolChoice"]);
  return input;
}

function messagesOf(value: unknown, max: number): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(RelayCode.INVALID_INPUT, "messages must be a non-empty array of { role, content }.");
  if (value.length > max) throw tooMany("messages", value.length, max);
  return value.map((message, index) => {
    const where = `messages[${index}]`;
    if (!isJsonObject(message)) throw invalid(RelayCode.INVALID_INPUT, `${where} must be an object { role, content }.`);
    for (const key of Object.keys(message)) if (!MESSAGE_KEYS.has(key)) throw invalid(RelayCode.INVALID_INPUT, `${where} has a field "${clip(key)}" that a message does not have.`);
    if (typeof message["role"] !== "string" || !ROLES.has(message["role"])) throw invalid(RelayCode.INVALID_INPUT, `${where}.role must be "user", "assistant" or "tool".`);
    if (typeof message["content"] !== "string" && message["content"] !== null) throw invalid(RelayCode.INVALID_INPUT, `${where}.content must be text (or null).`);
    return message as ChatMessage;
  });
}

function toolsOf(value: unknown): ToolDefinition[] {
  if (!Array.isArray(value) || value.length > MAX_TOOLS || !value.every(isJsonObject)) {
    throw invalid(RelayCode.INVALID_INPUT, `tools must be an array of at most ${MAX_TOOLS} tool definitions (objects).`);
  }
  return value;
}

function toolChoiceOf(value: unknown): ToolChoice {
  if ((typeof value === "string" && TOOL_CHOICES.has(value)) || isJsonObject(value)) return value as ToolChoice;
  throw invalid(RelayCode.INVALID_INPUT, 'toolChoice must be "auto", "none", "required" or an object naming a function.');
}

function refuseOthers(body: Record<string, unknown>, allowed: ReadonlySet<string>, why: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) throw invalid(RelayCode.FIELD_NOT_ALLOWED, `The browser may not send "${clip(key)}": ${why}.`);
  }
}

function tooMany(field: string, count: number, max: number): RelayRefusal {
  return new RelayRefusal(413, RelayCode.TOO_MANY_MESSAGES, `${field} has ${count} entries; this relay accepts at most ${max}.`);
}

function invalid(code: string, message: string): RelayRefusal {
  return new RelayRefusal(400, code, message);
}

/** Field names come from the browser: shown, but never at any length. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
