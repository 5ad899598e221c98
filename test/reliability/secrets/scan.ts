import { inspect } from "node:util";

/**
 * Every place in `value` where `secret` can be read: strings, bytes, own
 * properties (enumerable or not, symbols too), array items, map and set
 * entries, an error's message, stack and cause; and, for objects, their
 * `JSON.stringify` and `util.inspect` forms, which are what ends up in logs.
 */
export function findSecret(value: unknown, secret: string, label = "value"): string[] {
  const found: string[] = [];
  walk(value, label, secret, found, new Set());
  if (typeof value === "object" && value !== null) {
    if (safeStringify(value).includes(secret)) found.push(`JSON.stringify(${label})`);
    if (inspect(value, { depth: Infinity, showHidden: true, getters: true }).includes(secret)) found.push(`util.inspect(${label})`);
    if (value instanceof Error && String(value).includes(secret)) found.push(`String(${label})`);
  }
  return found;
}

function walk(value: unknown, path: string, secret: string, found: string[], seen: Set<object>): void {
  if (typeof value === "string") {
    if (value.includes(secret)) found.push(path);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (Buffer.from(bytes).toString("latin1").includes(secret)) found.push(`${path} (bytes)`);
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      walk(key, `${path}.keys()`, secret, found, seen);
      walk(item, `${path}.get(${String(key)})`, secret, found, seen);
    }
    return;
  }
  if (value instanceof Set) {
    for (const item of value) walk(item, `${path}.values()`, secret, found, seen);
    return;
  }
  for (const key of Reflect.ownKeys(value)) {
    const name = typeof key === "symbol" ? key.toString() : key;
    if (name.includes(secret)) found.push(`${path} key ${name}`);
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    const item: unknown = descriptor && "value" in descriptor ? descriptor.value : readGetter(value, key);
    walk(item, `${path}.${name}`, secret, found, seen);
  }
  // The stack is often an accessor on the prototype chain, not an own property.
  if (value instanceof Error) walk(value.stack, `${path}.stack`, secret, found, seen);
}

function readGetter(value: object, key: string | symbol): unknown {
  try {
    return (value as Record<string | symbol, unknown>)[key];
  } catch {
    return undefined;
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}
