import type { ChatMessage } from "../engine/messages.js";
import { unknownFilters } from "../engine/template.js";
import { readToolChoice } from "../engine/tool-choice.js";
import type { JsonValue } from "../flows/types.js";
import { jsonBytes } from "../json/json-size.js";
import { badRequest, HttpError } from "./http-error.js";
import { kindOf, quoted } from "./message-text.js";

export const MAX_MESSAGES_BYTES = 1_000_000;
const TOOL_CHOICES = '"auto", "none", "required", or {"type":"function","function":{"name":NAME}}';
const ROLES = new Set(["user", "assistant", "tool"]);
// Absent objects share one frozen empty object: every kept run holds them.
const NONE: Record<string, JsonValue> = Object.freeze({});

/** The fields of an execute/step/jobs body, type-checked. Unknown fields are ignored. */
export interface RunBody {
  message: string | undefined;
  messages: ChatMessage[] | undefined;
  parameters: Record<string, JsonValue>;
  blockOverrides: Record<string, JsonValue>;
  inputOverrides: Record<string, JsonValue>;
  tools: JsonValue[] | undefined;
  toolChoice: JsonValue | undefined;
  trace: boolean;
  executionId: string | undefined;
  pausedAtStep: string | undefined;
  toolCallMessages: JsonValue[] | undefined;
  iterationsUsed: number | undefined;
  stepIndex: number | undefined;
  runRemaining: boolean;
}

export function parseRunBody(body: Record<string, unknown>): RunBody {
  const messages = optional(body, "messages", "an array of message objects", isObjectArray) as ChatMessage[] | undefined;
  const toolCallMessages = optional(body, "toolCallMessages", "an array", Array.isArray) as JsonValue[] | undefined;
  if (messages) {
    checkSize("messages", messages);
    messages.forEach((message, index) => {
      if (typeof message.role !== "string" || !ROLES.has(message.role)) {
        throw new HttpError(400, "MESSAGES_ROLE_INVALID", `messages[${index}].role is ${JSON.stringify(message.role ?? null)}; only "user", "assistant" and "tool" are allowed`);
      }
    });
  }
  if (toolCallMessages) checkSize("toolCallMessages", toolCallMessages);
  const blockOverrides = (optional(body, "blockOverrides", "an object", isObject) ?? NONE) as Record<string, JsonValue>;
  checkOverrideTemplates(blockOverrides);
  const parsed: RunBody = {
    message: optional(body, "message", "a string", isString) as string | undefined,
    messages,
    parameters: (optional(body, "parameters", "an object", isObject) ?? NONE) as Record<string, JsonValue>,
    blockOverrides,
    inputOverrides: (optional(body, "inputOverrides", "an object", isObject) ?? NONE) as Record<string, JsonValue>,
    tools: optional(body, "tools", "an array", Array.isArray) as JsonValue[] | undefined,
    toolChoice: optional(body, "toolChoice", TOOL_CHOICES, isToolChoice) as JsonValue | undefined,
    trace: (optional(body, "trace", "a boolean", isBoolean) as boolean | undefined) ?? false,
    executionId: optional(body, "executionId", "a non-empty string", isNonEmptyString) as string | undefined,
    pausedAtStep: optional(body, "pausedAtStep", "a non-empty string", isNonEmptyString) as string | undefined,
    toolCallMessages,
    iterationsUsed: optional(body, "iterationsUsed", "a whole number >= 0", isCount) as number | undefined,
    stepIndex: optional(body, "stepIndex", "a whole number >= 0", isCount) as number | undefined,
    runRemaining: (optional(body, "runRemaining", "a boolean", isBoolean) as boolean | undefined) ?? false,
  };
  // Checked last, as before; called apart rather than spread into the literal, which would build the object the slow way.
  checkRest(body);
  return parsed;
}

/** A caller's templates are checked like a flow file's: an unknown filter is refused before anything runs. */
function checkOverrideTemplates(blockOverrides: Record<string, JsonValue>): void {
  if (blockOverrides === NONE) return;
  for (const [stepId, override] of Object.entries(blockOverrides)) {
    if (!isObject(override) || !Object.hasOwn(override, "template")) continue;
    const unknown = unknownFilters(override.template as JsonValue);
    if (unknown.length > 0) {
      throw badRequest(`blockOverrides[${quoted(stepId)}].template uses the unknown template filter ${quoted(unknown[0] ?? "")}`, "TEMPLATE_INVALID");
    }
  }
}

/** Fields accepted and ignored here, but still type-checked so mistakes are named. */
function checkRest(body: Record<string, unknown>): void {
  optional(body, "accumulatedOutputs", "an object", isObject);
  optional(body, "attachments", "an array", Array.isArray);
}

/** null counts as absent: the official clients send `message: null` on resumes. */
function optional(body: Record<string, unknown>, field: string, expected: string, check: (value: unknown) => boolean): unknown {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw badRequest(`field "${field}" must be ${expected}, got ${kindOf(value)}`);
  return value;
}

function checkSize(field: string, value: JsonValue[]): void {
  const bytes = jsonBytes(value);
  if (bytes > MAX_MESSAGES_BYTES) {
    throw new HttpError(413, "MESSAGES_TOO_LARGE", `field "${field}" is ${bytes} bytes of JSON; the limit is ${MAX_MESSAGES_BYTES}`);
  }
}

// The checks are made once, not as new closures on every body.
const isString = (value: unknown): boolean => typeof value === "string";
const isNonEmptyString = (value: unknown): boolean => typeof value === "string" && value !== "";
const isBoolean = (value: unknown): boolean => typeof value === "boolean";
const isObjectArray = (value: unknown): boolean => Array.isArray(value) && value.every(isObject);
const isToolChoice = (value: unknown): boolean => readToolChoice(value as JsonValue) !== undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isCount(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}
