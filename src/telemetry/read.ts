/**
 * Reading what a server sent, for spans: every field may be missing, `null`
 * or of another type (a trace full of nulls must still give every span), so
 * each reader gives the value only when it has the type a span can hold.
 */

export function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (Reflect.get(value, key) as unknown) : undefined;
}

/** The most characters of a server's string (an id, a name, a message) an attribute holds: a hostile server must not make spans heavy. Payloads have their own bound. */
const MAX_TEXT = 1024;

export function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}

/**
 * A count, a duration or an index a server sent (tokens, `durationMs`,
 * `attempt`): a whole-number range that is never negative. What cannot be
 * one (negative, past 2^53, not a number) is left out, as a missing field is,
 * rather than shown as a fact on a span.
 */
export function count(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 && value <= Number.MAX_SAFE_INTEGER ? value : undefined;
}

/** An ISO timestamp as a Date, when it is one. */
export function instant(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Token counts as the service reports them (`{ prompt, completion, total }`), as far as they are numbers. */
export function tokensOf(value: unknown): { input: number | undefined; output: number | undefined } {
  const tokens = field(value, "tokens");
  return { input: count(field(tokens, "prompt")), output: count(field(tokens, "completion")) };
}
