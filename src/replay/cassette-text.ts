/**
 * A cassette as the text of its file. Its top levels are indented, one key
 * or item a line, to be read and diffed beside the tests that use it; what
 * lies deeper (an answer's body, a step's snapshots) is written compact.
 * Indenting at every level would cost two spaces per level on every line:
 * an answer nested a thousand levels deep would grow a thousandfold.
 * The text stays within a few times what was received, whatever its depth.
 */

/** How many levels are indented: the cassette, its calls, a call, its exchanges or execution, an exchange or step, its answer. */
const INDENTED_LEVELS = 6;

export function cassetteText(cassette: unknown): string {
  return `${textOf(cassette, 0)}\n`;
}

/** As `JSON.stringify(value, null, 2)` writes it down to INDENTED_LEVELS, compact below. */
function textOf(value: unknown, level: number): string {
  if (level >= INDENTED_LEVELS || value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = "  ".repeat(level + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => inner + textOf(item, level + 1)).join(",\n")}\n${"  ".repeat(level)}]`;
  }
  // Fields JSON leaves out (undefined, functions) are left out here too.
  const fields = Object.entries(value).filter(([, field]) => field !== undefined && typeof field !== "function" && typeof field !== "symbol");
  if (fields.length === 0) return "{}";
  return `{\n${fields.map(([key, field]) => `${inner}${JSON.stringify(key)}: ${textOf(field, level + 1)}`).join(",\n")}\n${"  ".repeat(level)}}`;
}
