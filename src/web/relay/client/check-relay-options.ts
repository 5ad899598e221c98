import { ValueError } from "../../../core/errors.js";
import { describe } from "../../../core/identifiers.js";
import { assertJsonValue } from "../../../core/json-value.js";
import { isJsonObject } from "../../../core/json-object.js";
import { MAX_TIMER_MS } from "../../../core/timer-limit.js";
import type { RelayFlowOptions, RelayPausedState, RelayResumeOptions, RelayRunOptions } from "./types.js";

/**
 * The browser client's checks: bad input is a `ValueError` or `TypeError`
 * naming the option, before anything is sent, as with `AsyncFlow`.
 */
const RUN_OPTIONS = new Set(["message", "messages", "tools", "toolChoice", "toolHandler", "maxToolRounds", "signal", "timeout"]);
const RESUME_OPTIONS = new Set(["toolResults", "toolHandler", "maxToolRounds", "signal", "timeout"]);
const FLOW_OPTIONS = new Set(["url", "fetch", "timeout", "headers"]);
const ROLES = new Set(["user", "assistant", "tool"]);

export function checkFlowOptions(options: unknown): asserts options is RelayFlowOptions {
  const where = "createRelayFlow()";
  const checked = objectOf(options, where, FLOW_OPTIONS);
  if (typeof checked["url"] !== "string" && !(checked["url"] instanceof URL)) throw new TypeError(`${where} needs { url }: the relay's address.`);
  if (checked["url"] === "") throw new ValueError(`${where} option url is empty.`);
  if (checked["fetch"] !== undefined && typeof checked["fetch"] !== "function") throw new TypeError(`${where} option fetch must be a function.`);
  if (checked["headers"] !== undefined && typeof checked["headers"] !== "function" && !isJsonObject(checked["headers"])) throw new TypeError(`${where} option headers must be an object or a function.`);
  milliseconds(checked["timeout"], `${where} option timeout`);
}

export function checkRunOptions(options: unknown, where: string): asserts options is RelayRunOptions {
  const checked = objectOf(options, where, RUN_OPTIONS);
  const hasMessage = checked["message"] !== undefined;
  const hasMessages = checked["messages"] !== undefined;
  if (hasMessage === hasMessages) throw new ValueError(`${where} needs exactly one of message or messages.`);
  if (hasMessage && typeof checked["message"] !== "string") throw new TypeError(`${where} option message must be a string, got ${describe(checked["message"])}.`);
  if (hasMessages) {
    const messages = checked["messages"];
    if (!Array.isArray(messages) || messages.length === 0) throw new TypeError(`${where} option messages must be a non-empty array.`);
    messages.forEach((message, index) => {
      if (!isJsonObject(message) || typeof message["role"] !== "string" || !ROLES.has(message["role"])) {
        throw new ValueError(`${where} option messages[${index}] needs a role of "user", "assistant" or "tool".`);
      }
      assertJsonValue(message, `${where} option messages[${index}]`);
    });
  }
  if (checked["tools"] !== undefined) assertJsonValue(checked["tools"], `${where} option tools`);
  if (checked["toolChoice"] !== undefined) assertJsonValue(checked["toolChoice"], `${where} option toolChoice`);
  checkCallOptions(checked, where);
}

export function checkResumeOptions(options: unknown, where: string): asserts options is RelayResumeOptions {
  const checked = objectOf(options, where, RESUME_OPTIONS);
  if (checked["toolResults"] === undefined) throw new TypeError(`${where} needs { toolResults }.`);
  checkCallOptions(checked, where);
}

/** A paused result, or its JSON: the token and the calls it answers. */
export function checkPausedState(state: unknown, where: string): asserts state is RelayPausedState {
  if (!isJsonObject(state) || typeof state["token"] !== "string" || state["token"] === "" || !Array.isArray(state["toolCalls"])) {
    throw new TypeError(`${where} needs the paused result (or its JSON): { token, toolCalls }.`);
  }
}

function checkCallOptions(checked: Record<string, unknown>, where: string): void {
  if (checked["toolHandler"] !== undefined && typeof checked["toolHandler"] !== "function") throw new TypeError(`${where} option toolHandler must be a function.`);
  const rounds = checked["maxToolRounds"];
  if (rounds !== undefined && (typeof rounds !== "number" || !Number.isSafeInteger(rounds) || rounds < 1)) {
    throw new ValueError(`${where} option maxToolRounds must be a whole number ≥ 1, got ${describe(rounds)}.`);
  }
  const signal = checked["signal"];
  if (signal !== undefined && !(typeof signal === "object" && signal !== null && typeof (signal as AbortSignal).addEventListener === "function")) {
    throw new TypeError(`${where} option signal must be an AbortSignal.`);
  }
  milliseconds(checked["timeout"], `${where} option timeout`);
}

function milliseconds(value: unknown, where: string): void {
  if (value !== undefined && (typeof value !== "number" || !(value > 0 && value <= MAX_TIMER_MS))) {
    throw new ValueError(`${where} must be a positive number of milliseconds up to ${MAX_TIMER_MS} (about 24 days), got ${describe(value)}.`);
  }
}

function objectOf(options: unknown, where: string, names: ReadonlySet<string>): Record<string, unknown> {
  if (!isJsonObject(options)) throw new TypeError(`${where} takes an options object, got ${describe(options)}.`);
  for (const key of Object.keys(options)) {
    if (!names.has(key)) throw new ValueError(`${where} has no option "${key}"; it takes ${[...names].join(", ")}.`);
  }
  return options;
}
