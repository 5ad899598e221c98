import { ValueError } from "./errors.js";

/**
 * Organisation, project, slug, execution and step ids become URL path
 * segments. They are checked before use, so that no input can add a segment,
 * start a query or a fragment, or climb a level (`..`), and then encoded
 * exactly as the runtime's URL parser encodes a path: for every valid
 * identifier the bytes on the wire equal those of the official clients.
 */

// `\` counts as a separator in http(s) URLs, like `/`.
const FORBIDDEN = /[/?#%\\]/;
// Whitespace, C0 and C1 control characters, DEL, and Unicode line separators.
const INVISIBLE = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function checkIdentifier(value: unknown, name: string): string {
  if (typeof value !== "string") {
    throw new ValueError(`${name} must be a string, got ${describe(value)}.`);
  }
  if (value === "") throw new ValueError(`${name} must not be empty.`);
  if (value === "." || value === "..") throw new ValueError(`${name} must not be "${value}".`);
  const forbidden = FORBIDDEN.exec(value)?.[0];
  if (forbidden !== undefined) {
    throw new ValueError(`${name} ${quote(value)} must not contain "${forbidden}".`);
  }
  if (INVISIBLE.test(value)) {
    throw new ValueError(`${name} ${quote(value)} must not contain whitespace or control characters.`);
  }
  return value;
}

/** Percent-encodes one checked segment the way a URL parser does for a path. */
export function encodeSegment(value: string): string {
  return new URL(`http://h/${value}`).pathname.slice(1);
}

/** Checks and encodes in one step. */
export function identifierSegment(value: unknown, name: string): string {
  return encodeSegment(checkIdentifier(value, name));
}

export function describe(value: unknown): string {
  if (typeof value === "string") return quote(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return `${typeof value} ${value}`;
  }
  return typeof value === "symbol" ? "a symbol" : "undefined";
}

/**
 * A caller's string in quotes, for an error message. JSON escapes C0 controls
 * but not DEL, C1 controls or the Unicode line separators, which would garble
 * the terminal or the log line that shows the message: those are escaped too.
 */
export function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
