import { describe } from "./identifiers.js";

/**
 * `JSON.stringify` silently drops functions and `undefined`, turns `NaN` into
 * `null` and `Map` into `{}`, and throws on cycles and `BigInt` with a message
 * that names nothing. A caller's value that would not survive the trip is a
 * `TypeError` naming where in the argument it sits, before any request.
 */
export function assertJsonValue(value: unknown, where: string): void {
  walk(value, where, new Set());
}

function walk(value: unknown, where: string, seen: Set<object>): void {
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
  if (seen.has(value)) throw new TypeError(`${where} refers back to itself; JSON cannot carry a cycle.`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${where}[${index}]`, seen));
  } else if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    // Dates and other self-serialising values decide their own JSON.
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value).constructor?.name ?? "object";
      throw new TypeError(`${where} is a ${kind}, which cannot be sent as JSON; use a plain object or array.`);
    }
    for (const [key, item] of Object.entries(value)) walk(item, `${where}.${key}`, seen);
  }
  seen.delete(value);
}
