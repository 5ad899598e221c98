import { FlowExecutionError } from "../index.js";

/**
 * An answer a printer cannot show because what it is built around is missing
 * (a trace without its run, steps that are not a list): the client's
 * INVALID_RESPONSE, which exits 6 whatever the output is connected to. A
 * single odd field is not this: it is shown as it is (./format.ts `shownText`).
 */
export function unreadableAnswer(what: string, problem: string): FlowExecutionError {
  return new FlowExecutionError(`The server's answer to ${what} cannot be read: ${problem}.`, { code: "INVALID_RESPONSE" });
}

/** `value` when it is a list, else the error naming what it should have been. */
export function listIn(value: unknown, what: string, field: string): unknown[] {
  if (!Array.isArray(value)) throw unreadableAnswer(what, `its ${field} is not a list`);
  return value;
}

/** `value` when it is an object, else the error naming what it should have been. */
export function objectIn(value: unknown, what: string, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw unreadableAnswer(what, `its ${field} is not an object`);
  return value as Record<string, unknown>;
}
