/**
 * The size of a value's JSON (UTF-8 bytes, as JSON.stringify would write it)
 * measured without building the JSON: the server weighs what it keeps and
 * what it is about to produce before producing it.
 */

// Characters JSON writes as escapes: `"` and `\` as two bytes, control characters as two (\n…) or six (\u0001).
const ESCAPED = /["\\\u0000-\u001f]/g;
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x08, 0x0c, 0x0a, 0x0d, 0x09]);

/** Bytes of `text` inside a JSON string literal (without its quotes). */
export function escapedBytes(text: string): number {
  // Most strings weighed are short, plain ASCII with nothing to escape (ids, names, short messages): one pass tells.
  if (text.length < 32 && isPlainAscii(text)) return text.length;
  let bytes = text.length < 32 && isAscii(text) ? text.length : Buffer.byteLength(text, "utf8");
  ESCAPED.lastIndex = 0;
  for (let match = ESCAPED.exec(text); match !== null; match = ESCAPED.exec(text)) {
    bytes += SHORT_ESCAPES.has(match[0].charCodeAt(0)) ? 1 : 5;
  }
  return bytes;
}

/** ASCII that JSON writes as it is: no control character, `"` or `\`. */
function isPlainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f || code < 0x20 || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Bytes of `JSON.stringify(value)`. Stops counting once past `limit` (the
 * result is then some number above it), so that weighing a huge value
 * against a small allowance costs no more than the allowance.
 */
export function jsonBytes(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  switch (typeof value) {
    case "string":
      return escapedBytes(value) + 2;
    case "number":
      return Number.isFinite(value) ? String(value).length : 4;
    case "boolean":
      return value ? 4 : 5;
    case "object":
      break;
    default:
      return 0;
  }
  if (value === null) return 4;
  let bytes = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && bytes <= limit; i++) {
      const item: unknown = value[i];
      bytes += (i > 0 ? 1 : 0) + (item === undefined || typeof item === "function" ? 4 : jsonBytes(item, limit - bytes));
    }
    return bytes;
  }
  let first = true;
  // for…in, not Object.keys: no array per object weighed (JSON objects have no inherited enumerable keys).
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function") continue;
    bytes += (first ? 0 : 1) + escapedBytes(key) + 3 + jsonBytes(item, limit - bytes);
    first = false;
    if (bytes > limit) break;
  }
  return bytes;
}
