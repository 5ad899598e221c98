/**
 * Lookups and copies by a name that comes from a caller or a flow file. Such a
 * name may be `__proto__`, `constructor` or `valueOf`: reading it must find
 * only the table's own entries, and writing it must create an own entry, never
 * reach (or replace) Object.prototype.
 */
export function ownValue<V>(table: Readonly<Record<string, V>>, name: string): V | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** `Object.assign` for untrusted keys: each is defined as an own property of `target`. */
export function assignOwn<T extends object>(target: T, source: Readonly<Record<string, unknown>>): T {
  for (const key of Object.keys(source)) {
    Object.defineProperty(target, key, { value: source[key], enumerable: true, writable: true, configurable: true });
  }
  return target;
}

/**
 * The prototype of plain tables: empty, frozen, with no prototype of its own,
 * so a table still inherits no name at all (`__proto__` included).
 */
const NO_NAMES: object = Object.freeze(Object.create(null) as object);

/**
 * A table whose entries are named by callers or flow files: nothing inherited,
 * so every name is a plain key. Not `Object.create(null)`: V8 keeps such an
 * object as a hash table from the start (160 bytes for one entry, in every
 * stored run's outputs), where an object made from a prototype stays compact.
 */
export function plainTable<V>(): Record<string, V> {
  return Object.create(NO_NAMES) as Record<string, V>;
}
