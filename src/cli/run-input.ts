import { readFile } from "node:fs/promises";
import { checkOption } from "../core/check-options.js";
import { type ChatMessage, type MessageInput, ValueError, type Version } from "../index.js";
import { usageError } from "./errors.js";

/** The flags that say what a run is given: `run`, `events` and `job submit` take them. */
export const INPUT_OPTIONS = {
  message: { type: "string", short: "m" },
  messages: { type: "string" },
  param: { type: "string", multiple: true },
  version: { type: "string" },
} as const;

export const INPUT_HELP = `Input:
  -m, --message TEXT       the message
  --messages FILE          a JSON file holding a conversation: [{"role": "user", "content": "…"}, …]
  --param KEY=VALUE        a parameter, as a string (repeatable)
  --param KEY:=JSON        a parameter, as JSON: --param count:=3 --param tags:='["a","b"]'
  --version V              production (default), draft, or a published version number`;

export interface InputFlags {
  message?: string | undefined;
  messages?: string | undefined;
  param?: string[] | undefined;
  version?: string | undefined;
}

export type RunInput = MessageInput & {
  parameters?: Record<string, unknown>;
  version?: Version;
};

/**
 * Reads the input flags into client options, checked by the client's own
 * rules (roles, ids, how deep JSON nests): what a file or a flag holds that
 * the client would refuse is a usage error naming the flag, before any request.
 */
export async function runInput(flags: InputFlags): Promise<RunInput> {
  if (flags.message !== undefined && flags.messages !== undefined) throw usageError("pass --message or --messages, not both");
  const input: RunInput =
    flags.messages !== undefined
      ? { messages: checked("messages", await readMessages(flags.messages), `--messages ${flags.messages}: messages`) }
      : flags.message !== undefined
        ? { message: flags.message }
        : {};
  if (flags.param !== undefined) input.parameters = checked("parameters", parseParams(flags.param), "--param: parameters");
  if (flags.version !== undefined) input.version = parseVersion(flags.version);
  return input;
}

/**
 * A fresh run needs a message or a conversation: the service refuses one
 * without (400 MISSING_MESSAGE). Said here, before any request, as a usage error.
 */
export function requireInput(input: RunInput, usage: string): RunInput {
  if (input.message === undefined && input.messages === undefined) {
    throw usageError(`${usage} needs the run's input: -m TEXT or --messages FILE (see ${usage} --help)`);
  }
  return input;
}

/** The client's own rule for one option; what breaks it is a usage error, worded by the client, `where` naming the flag. */
function checked<T>(option: string, value: T, where: string): T {
  try {
    checkOption(option, value, where);
  } catch (error) {
    if (error instanceof TypeError || error instanceof ValueError) throw usageError(error.message.replace(/\.$/, ""));
    throw error;
  }
  return value;
}

async function readMessages(file: string): Promise<ChatMessage[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw usageError(`cannot read --messages ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let messages: unknown;
  try {
    messages = JSON.parse(text);
  } catch (error) {
    throw usageError(`--messages ${file} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(messages)) throw usageError(`--messages ${file} must hold a JSON array of messages`);
  return messages as ChatMessage[];
}

/** `k=v` is a string, so `--param zip=01234` stays as typed; `k:=json` is for numbers, booleans, objects. */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const pair of pairs) {
    const match = /^([^=:]+)(:?=)(.*)$/s.exec(pair);
    if (match === null) throw usageError(`--param ${JSON.stringify(pair)}: expected KEY=VALUE or KEY:=JSON`);
    const [, key = "", operator, value = ""] = match;
    let parsed: unknown = value;
    if (operator === ":=") {
      try {
        parsed = JSON.parse(value) as unknown;
      } catch {
        throw usageError(`--param ${key}:= needs JSON, got ${JSON.stringify(value)} (use ${key}=… for a string)`);
      }
    }
    // Defined, not assigned: a parameter named `__proto__` stays a parameter, not the object's prototype.
    Object.defineProperty(parameters, key, { value: parsed, enumerable: true, writable: true, configurable: true });
  }
  return parameters;
}

export function parseVersion(text: string): Version {
  if (text === "production" || text === "draft") return text;
  if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  throw usageError(`--version must be production, draft or a version number, got ${JSON.stringify(text)}`);
}
