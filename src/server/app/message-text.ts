// How a caller's values are named in error messages: short, and never a whole body.

/** A caller's name in a message: quoted, and cut short if long. */
export function quoted(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}

/** What kind of JSON value a caller sent, for a message that refuses it. */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value.length > 40 ? "a string" : `the string ${JSON.stringify(value)}`;
  return `${typeof value === "object" ? "an" : "a"} ${typeof value}${typeof value === "number" || typeof value === "boolean" ? ` (${String(value)})` : ""}`;
}
