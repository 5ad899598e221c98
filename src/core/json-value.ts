import { describe } from "./identifiers.js";
import { MAX_SENT_DEPTH } from "./json-depth.js";

/**
 * `JSON.stringify` silently drops functions and `undefined`, turns `NaN` into
 * `null` and `Map` into `{}`, and throws on cycles and `BigInt` with a message
 * that names nothing. A caller's value that would not survive the trip is a
 * `TypeError` naming where in the argument it sits, before any request. So is
 * one nested deeper than `MAX_SENT_DEPTH` (./json-depth.ts), which would
 * otherwise fail with a `RangeError` from the stack, here or in `JSON.stringify`.
 */
export function assertJsonValue(value: unknown, where: string): void {
  walk(value, where, new Set(), 1, where);
}

function walk(value: unknown, where: string, seen: Set<object>, depth: number, root: string): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${where} is ${value}, which JSON cannot carry.`);
      return;
    case "object":
      break;
    default:
      throw new TypeError(`${where} is ${describe(value)}, which cannot be sent as JSON.`);
  }
  if (value === null) return;
  if (depth > MAX_SENT_DEPTH) throw new TypeError(`${root} is nested more than ${MAX_SENT_DEPTH} levels deep, more than the client sends as JSON.`);
  if (seen.has(value)) throw new TypeError(`${where} refers back to itself; JSON cannot carry a cycle.`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${where}[${index}]`, seen, depth + 1, root));
  } else if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    // Dates and other self-serialising values decide their own JSON.
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value).constructor?.name ?? "object";
      throw new TypeError(`${where} is a ${kind}, which cannot be sent as JSON; use a plain object or array.`);
    }
    for (const [key, item] of Object.entries(value)) walk(item, `${where}.${key}`, seen, depth + 1, root);
  }
  seen.delete(value);
}
