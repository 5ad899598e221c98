/** A JSON object (not an array, not null): what most answers and events must be before their fields are read. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
