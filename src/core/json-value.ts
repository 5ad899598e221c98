import { describe } from "./identifiers.js";
import { MAX_SENT_DEPTH } from "./json-depth.js";

/**
 * `JSON.stringify` silently drops functions and `undefined`, turns `NaN` into
 * `null` and `Map` into `{}`, and throws on cycles and `BigInt` with a message
 * that names nothing. A caller's value that would not survive the trip is a
 * `TypeError` naming where in the argument it sits, before any request. So is
 * one nested deeper than `maxDepth` (`MAX_SENT_DEPTH` for a caller's values,
 * ./json-depth.ts; a middleware's answer may nest as deep as answers do),
 * which would otherwise fail with a `RangeError` from the stack in `JSON.stringify`.
 */
export function assertJsonValue(value: unknown, where: string, maxDepth = MAX_SENT_DEPTH): void {
  // Walked with a stack of its own, not by recursion: a value may nest as deep as the limit
  // from a caller's stack that is already deep (a middleware's answer is checked inside a call).
  const pending: Visit[] = [{ value, where, depth: 1 }];
  /** The objects on the way down to the one being looked at: meeting one again is a cycle. */
  const ancestors = new Set<object>();
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    if (visit.leaving !== undefined) {
      ancestors.delete(visit.leaving);
      continue;
    }
    const inner = children(visit, ancestors, where, maxDepth);
    if (inner === undefined) continue;
    ancestors.add(visit.value as object);
    pending.push({ value: undefined, where: "", depth: 0, leaving: visit.value as object });
    // Pushed last first, so that the first bad item in order is the one named.
    for (let index = inner.length - 1; index >= 0; index--) pending.push(inner[index] as Visit);
  }
}

interface Visit {
  value: unknown;
  where: string;
  depth: number;
  /** Set on the marker that takes an object off the way down once its items are done. */
  leaving?: object;
}

/** Checks one value; for an object or array to walk into, the visits of its items. */
function children(visit: Visit, ancestors: Set<object>, root: string, maxDepth: number): Visit[] | undefined {
  const { value, where, depth } = visit;
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${where} is ${value}, which JSON cannot carry.`);
      return undefined;
    case "object":
      break;
    default:
      throw new TypeError(`${where} is ${describe(value)}, which cannot be sent as JSON.`);
  }
  if (value === null) return undefined;
  if (depth > maxDepth) throw new TypeError(`${root} is nested more than ${maxDepth} levels deep, more than the client sends as JSON.`);
  if (ancestors.has(value)) throw new TypeError(`${where} refers back to itself; JSON cannot carry a cycle.`);
  if (Array.isArray(value)) return value.map((item: unknown, index) => ({ value: item, where: `${where}[${index}]`, depth: depth + 1 }));
  // Dates and other self-serialising values decide their own JSON.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
    throw new TypeError(`${where} is a ${kind}, which cannot be sent as JSON; use a plain object or array.`);
  }
  return Object.entries(value as Record<string, unknown>).map(([key, item]) => ({ value: item, where: `${where}.${key}`, depth: depth + 1 }));
}
