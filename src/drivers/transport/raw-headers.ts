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
 * A response's raw header lines (name, value, name, value…) as lower-cased
 * names with one string each; repeated fields are joined with ", ". Values
 * are read as Latin-1, byte for byte, as HTTP defines them. Both transports
 * read headers through here, so both give the same record for the same bytes.
 */
export function headersFromRaw(raw: readonly (Buffer | string)[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = latin1(raw[i]!).toLowerCase();
    const value = latin1(raw[i + 1]!);
    // A field named like an Object member must not read or replace that member.
    if (name === "__proto__") continue;
    if (!Object.hasOwn(headers, name)) headers[name] = value;
    else if (!SINGLE.has(name)) headers[name] = `${headers[name]}, ${value}`;
  }
  return headers;
}

/** `node:http` hands the lines over already decoded as Latin-1; undici as bytes. */
function latin1(line: Buffer | string): string {
  return typeof line === "string" ? line : line.toString("latin1");
}
