import { ValueError } from "./errors.js";
import { describe } from "./identifiers.js";
import { assertJsonValue } from "./json-value.js";
import type {
  CallOptions,
  EventsOptions,
  ExecuteAsyncOptions,
  ExecuteOptions,
  ResumeOptions,
  StepsOptions,
  StepTraceOptions,
  StreamCallOptions,
  WaitOptions,
} from "./options.js";
import { versionSegment } from "./versions.js";
import { MAX_TIMER_MS } from "./timer-limit.js";

/**
 * Runtime checks of a call's options, so that JavaScript callers (and
 * TypeScript callers with `any`) get a `ValueError` or `TypeError` naming the
 * option before any request, instead of a server error or a silently dropped
 * value. Unknown option names are refused: a typo must not lose input.
 */
type Check = (value: unknown, where: string) => void;

/** Every refusal of a value says the same three things: where, what was wanted, and what was given. */
function refuse(where: string, wanted: string, value: unknown, type: new (message: string) => Error = ValueError): never {
  throw new type(`${where} must be ${wanted}, got ${describe(value)}.`);
}

const MESSAGE_ROLES = new Set(["user", "assistant", "tool"]);

const plainObject: Check = (value, where) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) refuse(where, "an object", value, TypeError);
  assertJsonValue(value, where);
};

const array: Check = (value, where) => {
  if (!Array.isArray(value)) refuse(where, "an array", value, TypeError);
};

const objectArray: Check = (value, where) => {
  array(value, where);
  (value as unknown[]).forEach((item, index) => plainObject(item, `${where}[${index}]`));
};

const boolean: Check = (value, where) => {
  if (typeof value !== "boolean") refuse(where, "true or false", value, TypeError);
};

const callable: Check = (value, where) => {
  if (typeof value !== "function") refuse(where, "a function", value, TypeError);
};

const positiveMs: Check = (value, where) => {
  if (typeof value !== "number" || !(value > 0 && value <= MAX_TIMER_MS)) refuse(where, `a positive number of milliseconds up to ${MAX_TIMER_MS} (about 24 days)`, value);
};

/** A count: a whole number from `min` up. */
const wholeFrom =
  (min: number): Check =>
  (value, where) => {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) refuse(where, `a whole number ≥ ${min}`, value);
  };

/**
 * The rule of each option, by name: a call's options, and the client's that
 * follow the same rules (names a method does not take are refused before
 * their rule is looked up).
 */
const CHECKS = new Map<string, Check>(Object.entries({
  message: (value, where) => {
    if (typeof value !== "string") refuse(where, "a string", value, TypeError);
  },
  messages: (value, where) => {
    if (!Array.isArray(value) || value.length === 0) refuse(where, "a non-empty array of messages", value, TypeError);
    (value as unknown[]).forEach((item, index) => {
      plainObject(item, `${where}[${index}]`);
      const role = (item as Record<string, unknown>)["role"];
      if (typeof role !== "string" || !MESSAGE_ROLES.has(role)) refuse(`${where}[${index}].role`, '"user", "assistant" or "tool"', role);
    });
  },
  parameters: plainObject,
  blockOverrides: (value, where) => {
    plainObject(value, where);
    for (const [step, override] of Object.entries(value as object)) plainObject(override, `${where}.${step}`);
  },
  inputOverrides: plainObject,
  attachments: objectArray,
  tools: objectArray,
  toolChoice: (value, where) => {
    if (typeof value !== "string") plainObject(value, where);
  },
  toolHandler: callable,
  toolResults: array,
  maxToolRounds: wholeFrom(1),
  trace: boolean,
  runRemaining: boolean,
  version: (value) => void versionSegment(value),
  timeout: positiveMs,
  totalTimeout: positiveMs,
  pollInterval: positiveMs,
  signal: (value, where) => {
    if (!isAbortSignal(value)) refuse(where, "an AbortSignal", value, TypeError);
  },
  sessionId: (value, where) => void checkSessionId(value, where),
  replayKey: (value, where) => {
    if (typeof value !== "string" || value === "" || value.length > 200) refuse(where, "a non-empty string of at most 200 characters", value);
  },
  attempt: (value, where) => {
    const ok = value === "latest" || value === "all" || (typeof value === "number" && Number.isSafeInteger(value) && value >= 1);
    if (!ok) refuse(where, '"latest", "all" or an attempt number ≥ 1', value);
  },
  loopIndex: wholeFrom(0),
  // The client's own.
  maxRetries: wholeFrom(0),
  maxResponseBytes: wholeFrom(1),
  maxConnections: wholeFrom(1),
  onLog: callable,
  logPayloads: boolean,
  fetch: callable,
} satisfies Record<string, Check>));

/** Checks one option, given, against its rule; `where` names it in the error. */
export function checkOption(name: string, value: unknown, where: string): void {
  CHECKS.get(name)?.(value, where);
}

/** The option names a method takes: each a key of its options type, so the list cannot name what the type lacks. */
export type OptionNames<T> = readonly (keyof T & string)[];

/**
 * Checks the options a method was given (by a JavaScript caller, they may be
 * anything) against the names it takes and each option's rule, and returns
 * them as the type they were declared with. A name the method does not take
 * is refused: a typo must not lose input.
 */
export function checkOptions<T extends object>(options: T | undefined, allowed: OptionNames<T>, method: string): T {
  // A method that takes a message starts a run, which the service refuses without one: say so before sending.
  const startsRun = (allowed as readonly string[]).includes("message");
  if (options === undefined) {
    if (startsRun) throw missingInput(method);
    return EMPTY as T;
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${method} takes an options object, got ${describe(options)}.`);
  }
  const names: readonly string[] = allowed;
  for (const [key, value] of Object.entries(options)) {
    if (!names.includes(key)) {
      throw new ValueError(`${method} has no option "${key}"; it takes ${allowed.join(", ")}.`);
    }
    if (value === undefined) continue;
    checkOption(key, value, `${method} option ${key}`);
  }
  if ("message" in options && "messages" in options && options.message !== undefined && options.messages !== undefined) {
    throw new ValueError(`${method} takes either message or messages, not both.`);
  }
  if (startsRun && (options as { message?: unknown }).message === undefined && (options as { messages?: unknown }).messages === undefined) {
    throw missingInput(method);
  }
  return options;
}

function missingInput(method: string): ValueError {
  return new ValueError(`${method} needs the run's input: message (a string) or messages (a conversation).`);
}

/** What a method that was given no options sees: every option unset. */
const EMPTY = Object.freeze({});

/**
 * A session id travels in a header, which carries Latin-1 text without
 * control characters: anything else would fail the request itself, as an
 * error that names no option.
 */
export function checkSessionId(value: unknown, where: string): string {
  if (typeof value !== "string" || value === "" || /[^\x20-\x7e\x80-\xff]/.test(value) || value.length > 256) {
    refuse(where, "a non-empty header value: at most 256 Latin-1 characters, no control characters", value);
  }
  return value;
}

export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function"
  );
}

const RUN_OPTIONS = ["message", "messages", "parameters", "blockOverrides", "trace", "version", "timeout", "signal", "sessionId", "replayKey"] as const;
const TOOL_OPTIONS = ["tools", "toolChoice", "toolHandler", "maxToolRounds"] as const;
export const EXECUTE_OPTIONS = [...RUN_OPTIONS, ...TOOL_OPTIONS, "attachments"] as const satisfies OptionNames<ExecuteOptions>;
export const STEPS_OPTIONS = [...RUN_OPTIONS, ...TOOL_OPTIONS, "inputOverrides", "totalTimeout"] as const satisfies OptionNames<StepsOptions>;
export const EVENTS_OPTIONS = [...STEPS_OPTIONS, "runRemaining"] as const satisfies OptionNames<EventsOptions>;
export const EXECUTE_ASYNC_OPTIONS = RUN_OPTIONS satisfies OptionNames<ExecuteAsyncOptions>;
export const RESUME_OPTIONS = ["toolResults", "toolHandler", "maxToolRounds", "timeout", "signal"] as const satisfies OptionNames<ResumeOptions>;
export const WAIT_OPTIONS = ["timeout", "pollInterval", "signal"] as const satisfies OptionNames<WaitOptions>;
export const CALL_OPTIONS = ["timeout", "signal"] as const satisfies OptionNames<CallOptions>;
export const LIVE_TRACE_OPTIONS = [...CALL_OPTIONS, "totalTimeout"] as const satisfies OptionNames<StreamCallOptions>;
export const STEP_TRACE_OPTIONS = ["attempt", "loopIndex", "timeout", "signal"] as const satisfies OptionNames<StepTraceOptions>;
