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
  return (value) => redactPaths(value, patterns);
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

/**
 * Where a value sits: its key in the object or array that holds it (an
 * array's entries are keyed by index, as `*` sees them), and where that one
 * sits. Kept instead of recursing: a payload may nest as deep as the client
 * reads (./json-depth.ts).
 */
interface Place {
  readonly key: string;
  readonly holder: object;
  readonly value: unknown;
  readonly parent: Place | undefined;
}

/**
 * The payload with every value at a pattern replaced. Only the objects and
 * arrays on the way down to a replaced value are copied; the rest is shared.
 */
function redactPaths(value: unknown, patterns: readonly string[][]): unknown {
  if (typeof value !== "object" || value === null) return value;
  const matched: Place[] = [];
  const pending: [object, Place | undefined][] = [[value, undefined]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [holder, parent] = next;
    for (const [key, child] of Object.entries(holder) as [string, unknown][]) {
      const place: Place = { key, holder, value: child, parent };
      if (patterns.some((pattern) => endsWith(place, pattern))) matched.push(place);
      else if (typeof child === "object" && child !== null) pending.push([child, place]);
    }
  }
  // Each object on the way down is copied once, and its copy takes the copy of the next one down.
  const copies = new Map<object, object>();
  const copyOf = (original: object): object => {
    let copy = copies.get(original);
    if (copy === undefined) copies.set(original, (copy = Array.isArray(original) ? [...(original as unknown[])] : { ...original }));
    return copy;
  };
  for (const match of matched) {
    for (let at: Place | undefined = match; at !== undefined; at = at.parent) {
      // defineProperty keeps a key named `__proto__` a key, not a prototype.
      Object.defineProperty(copyOf(at.holder), at.key, { value: at === match ? REDACTED : copyOf(at.value as object), enumerable: true, writable: true, configurable: true });
    }
  }
  return copies.get(value) ?? value;
}

/** Whether the key path ends with the pattern (`*` matching any one key). */
function endsWith(place: Place, pattern: readonly string[]): boolean {
  let at: Place | undefined = place;
  for (let index = pattern.length - 1; index >= 0; index--) {
    if (at === undefined) return false;
    const segment = pattern[index];
    if (segment !== "*" && segment !== at.key) return false;
    at = at.parent;
  }
  return true;
}
