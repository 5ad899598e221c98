/**
 * The `redact` option: key paths whose values never leave the client in a
 * log event (`logPayloads`) or a span attribute (`otelPayloads`), such as
 * `"parameters.ssn"` or `"messages.*.content"`.
 *
 * A path matches wherever it occurs in a payload, at any depth: payloads have
 * different roots (a request body, a response body, a step's input, a tool's
 * arguments), and a redaction that silently missed because the path was
 * written from another root would leak what it was meant to hide. So `"ssn"`
 * removes every `ssn` key, `"parameters.ssn"` only those directly under a
 * `parameters` key; `*` stands for any one key or array index.
 */

/** Returns the payload with every matching value replaced; what matches nothing is returned as it is (not copied). */
export type PayloadRedactor = (value: unknown) => unknown;

/** What a redacted value becomes. */
export const REDACTED = "[redacted]";

/** A redactor for these (already checked) paths; with none, the identity. */
export function compileRedactPaths(paths: readonly string[]): PayloadRedactor {
  if (paths.length === 0) return (value) => value;
  const patterns = paths.map((path) => path.split("."));
  return (value) => redactNode(value, [], patterns);
}

/**
 * The problem with one `redact` entry, or undefined when it is a usable path:
 * dot-separated keys, none empty.
 */
export function redactPathProblem(path: unknown): string | undefined {
  if (typeof path !== "string") return "is not a string";
  if (path === "") return "is empty";
  if (path.split(".").some((segment) => segment === "")) return "has an empty key (two dots together, or a dot at either end)";
  return undefined;
}

function redactNode(value: unknown, keys: string[], patterns: readonly string[][]): unknown {
  if (typeof value !== "object" || value === null) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  // An array's entries are its indices as keys, as `*` sees them.
  for (const [key, item] of Object.entries(value)) {
    keys.push(key);
    const next = patterns.some((pattern) => endsWith(keys, pattern)) ? REDACTED : redactNode(item, keys, patterns);
    keys.pop();
    // defineProperty keeps a key named `__proto__` a key, not a prototype.
    if (next !== item) Object.defineProperty((copy ??= Array.isArray(value) ? [...(value as unknown[])] : { ...value }), key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
}

/** Whether the key path ends with the pattern (`*` matching any one key). */
function endsWith(keys: readonly string[], pattern: readonly string[]): boolean {
  if (pattern.length > keys.length) return false;
  const offset = keys.length - pattern.length;
  return pattern.every((segment, index) => segment === "*" || segment === keys[offset + index]);
}
