/**
 * Fields a response carries once: a repeat is dropped rather than joined, so
 * that two `Retry-After` or `Content-Type` lines read as the first, as
 * `node:http` reads them too.
 */
const SINGLE = new Set([
  "age",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "last-modified",
  "location",
  "retry-after",
  "server",
]);

/**
 * The names most answers carry, as servers spell them, each to its
 * lower-cased name: a known name is not lower-cased again on every answer,
 * and the record gets the same interned key every time. A fixed table, so a
 * server sending ever new names cannot make it grow.
 */
const KNOWN_NAMES = new Map<string, string>();
for (const name of [...SINGLE, "cache-control", "connection", "date", "keep-alive", "transfer-encoding", "vary", "x-request-id", "x-session-id"]) {
  KNOWN_NAMES.set(name, name);
  KNOWN_NAMES.set(name.replace(/(^|-)[a-z]/g, (start) => start.toUpperCase()), name);
}
KNOWN_NAMES.set("X-Request-ID", "x-request-id");
KNOWN_NAMES.set("X-Session-ID", "x-session-id");

/**
 * A response's raw header lines (name, value, name, value…) as lower-cased
 * names with one string each; repeated fields are joined with ", ". Values
 * are read as Latin-1, byte for byte, as HTTP defines them. Both transports
 * read headers through here, so both give the same record for the same bytes.
 */
export function headersFromRaw(raw: readonly (Buffer | string)[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const line = latin1(raw[i]!);
    const name = KNOWN_NAMES.get(line) ?? line.toLowerCase();
    const value = latin1(raw[i + 1]!);
    // A field named like an Object member must not read or replace that member.
    if (name === "__proto__") continue;
    if (!Object.hasOwn(headers, name)) headers[name] = value;
    else if (!SINGLE.has(name)) headers[name] = `${headers[name]}, ${value}`;
  }
  return headers;
}

/** Node's own Latin-1 decoder, which `toString("latin1")` reaches only after looking the encoding up. */
interface Latin1Bytes {
  latin1Slice?: (start: number, end: number) => string;
}

/** Where a runtime's Buffer lacks it, `toString` does the same. */
const direct = typeof (Buffer.prototype as Latin1Bytes).latin1Slice === "function";

/** `node:http` hands the lines over already decoded as Latin-1; undici as bytes. */
function latin1(line: Buffer | string): string {
  if (typeof line === "string") return line;
  return direct ? (line as Latin1Bytes).latin1Slice!(0, line.length) : line.toString("latin1");
}
