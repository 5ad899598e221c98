import { NoukaiError } from "noukai";

/** How one call ended, as a caller would see it. */
export interface Outcome<T = unknown> {
  ok: boolean;
  value?: T;
  error?: unknown;
  /** `error.name`, or the constructor's name for values that are not errors. */
  errorClass?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  /** The error is a `NoukaiError` (or the call succeeded). */
  typed: boolean;
  ms: number;
}

/** Runs a call of either client and records how it ended; a blocking throw counts like a rejection. */
export async function observe<R>(call: () => R): Promise<Outcome<Awaited<R>>> {
  const started = performance.now();
  try {
    const value = await call();
    return { ok: true, value, typed: true, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, ...describeError(error), typed: error instanceof NoukaiError, ms: performance.now() - started };
  }
}

export function describeError(error: unknown): Pick<Outcome, "error" | "errorClass" | "code" | "statusCode" | "message"> {
  if (!(error instanceof Error)) return { error, errorClass: typeof error, message: String(error) };
  const fields = error as Error & { code?: unknown; statusCode?: unknown };
  return {
    error,
    errorClass: error.name,
    message: error.message,
    ...(typeof fields.code === "string" ? { code: fields.code } : {}),
    ...(typeof fields.statusCode === "number" ? { statusCode: fields.statusCode } : {}),
  };
}

/** One line for a report: `value` or `Class CODE (HTTP n): message`. */
export function summarise(outcome: Outcome): string {
  if (outcome.ok) return "value";
  const code = outcome.code === undefined ? "" : ` ${outcome.code}`;
  const status = outcome.statusCode === undefined ? "" : ` (HTTP ${outcome.statusCode})`;
  return `${outcome.errorClass ?? "?"}${code}${status}: ${outcome.message ?? ""}`;
}

/**
 * What makes an error message readable to the person who gets it: words, not
 * `[object Object]`, not empty, not a wall of text, no control characters that
 * would garble a terminal or a log line.
 */
export function unreadable(message: string | undefined): string[] {
  if (message === undefined || message.trim() === "") return ["the message is empty"];
  const problems: string[] = [];
  if (message.includes("[object Object]")) problems.push("the message reads [object Object]");
  if (/^(undefined|null|NaN)$/.test(message.trim())) problems.push(`the message is just ${message.trim()}`);
  if (message.length > 1_000) problems.push(`the message is ${message.length} characters long`);
  // Tabs and newlines may stay; other C0 and C1 controls and Unicode line separators garble a terminal or a log line.
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(message)) problems.push("the message holds control characters");
  return problems;
}
