import { MAX_READ_DEPTH, nestedDeeperThan } from "../core/json-depth.js";
import type { PayloadRedactor } from "../core/redact-paths.js";
import { type Redact, scrubParsed } from "../core/redact.js";

/** How many characters of a payload a span attribute keeps (`otelPayloads`). */
export const MAX_PAYLOAD_CHARS = 4096;

/**
 * A payload as a span attribute: passed through the `redact` paths, as JSON
 * (a string as it is), and cut to `MAX_PAYLOAD_CHARS` with a note of how much
 * was left out. Undefined for nothing to show.
 */
export function payloadAttribute(value: unknown, redact: PayloadRedactor): string | undefined {
  if (value === undefined) return undefined;
  const text = asText(redact(value));
  if (text.length <= MAX_PAYLOAD_CHARS) return text;
  // Never end on the first half of a surrogate pair.
  const cut = isHighSurrogate(text.charCodeAt(MAX_PAYLOAD_CHARS - 1)) ? MAX_PAYLOAD_CHARS - 1 : MAX_PAYLOAD_CHARS;
  return `${text.slice(0, cut)}…[truncated ${text.length - cut} chars]`;
}

/**
 * A payload that may be JSON text (a tool call's `arguments`, a tool's
 * result given as a string) as a span attribute: parsed, so that the
 * `redact` paths reach inside it, and scrubbed of the key again, since an
 * escape in the text can spell it. Text that is not JSON is shown as it is.
 * JSON nested deeper than the client reads (../core/json-depth.ts) is not shown:
 * like any value that deep, it is not taken in, and shown as text instead,
 * what the `redact` paths would hide would show.
 */
export function jsonTextPayload(text: unknown, redact: PayloadRedactor, scrubKey: Redact): string | undefined {
  if (typeof text !== "string") return payloadAttribute(text, redact);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return payloadAttribute(text, redact);
  }
  if (nestedDeeperThan(text, parsed, MAX_READ_DEPTH)) return `[not shown: nested more than ${MAX_READ_DEPTH} levels deep]`;
  return payloadAttribute(scrubParsed(scrubKey, text, parsed), redact);
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle or a BigInt: what String() makes of it still says something.
    return String(value);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
