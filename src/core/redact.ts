/**
 * Removes the API key from anything a server sends back before it reaches an
 * error, a log event or the caller: a hostile or buggy server that echoes the
 * `Authorization` header must not make the SDK leak the key.
 */
export type Redact = <T>(value: T) => T;

const MASK = "[redacted]";

export function createRedactor(secret: string): Redact {
  if (secret === "") return (value) => value;
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return value.includes(secret) ? value.split(secret).join(MASK) : value;
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[scrub(key) as string] = scrub(item);
      return out;
    }
    return value;
  };
  return scrub as Redact;
}
