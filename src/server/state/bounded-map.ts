export type EvictionReason = "expired" | "capacity" | "deleted";

export interface BoundedMapOptions<K, V> {
  /** Most entries kept; past it the least recently used goes. */
  maxEntries: number;
  /** An entry not read or written for this long expires. */
  ttlMs: number;
  now: () => number;
  onEvict?: (key: K, value: V, reason: EvictionReason) => void;
  /** With `weigh`: the most total weight kept (e.g. bytes); the least recently used go first. */
  maxWeight?: number;
  weigh?: (value: V) => number;
}

interface Entry<K, V> {
  key: K;
  value: V;
  expiresAt: number;
  weight: number;
  older: Entry<K, V> | undefined;
  newer: Entry<K, V> | undefined;
}

/**
 * A map with an LRU cap and an idle TTL, so server state stays bounded however
 * long it runs. Entries sit in a doubly linked list from least to most
 * recently used; with one TTL for all entries that is also the expiry order,
 * so both eviction and sweeping only look at the oldest end. (A plain Map used
 * as a queue would be O(n): V8 keeps deleted slots until it rehashes, and
 * iteration from the front walks over them.)
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, Entry<K, V>>();
  readonly #options: BoundedMapOptions<K, V>;
  #oldest: Entry<K, V> | undefined;
  #newest: Entry<K, V> | undefined;
  #weight = 0;

  constructor(options: BoundedMapOptions<K, V>) {
    if (!(options.maxEntries >= 1)) throw new RangeError("maxEntries must be at least 1");
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Total weight of the entries (0 without `weigh`). */
  get weight(): number {
    return this.#weight;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = this.#options.now();
    if (entry.expiresAt <= now) {
      this.#evict(entry, "expired");
      return undefined;
    }
    entry.expiresAt = now + this.#options.ttlMs;
    this.#unlink(entry);
    this.#append(entry);
    return entry.value;
  }

  /** Reads without refreshing recency or TTL. */
  peek(key: K): V | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expiresAt > this.#options.now() ? entry.value : undefined;
  }

  has(key: K): boolean {
    return this.peek(key) !== undefined;
  }

  /** Stores (or re-weighs, for a value that grew) an entry. */
  set(key: K, value: V): void {
    const now = this.#options.now();
    const weight = this.#options.weigh?.(value) ?? 0;
    const existing = this.#entries.get(key);
    if (existing) {
      this.#weight += weight - existing.weight;
      existing.weight = weight;
      existing.value = value;
      existing.expiresAt = now + this.#options.ttlMs;
      this.#unlink(existing);
      this.#append(existing);
    } else {
      const entry: Entry<K, V> = { key, value, expiresAt: now + this.#options.ttlMs, weight, older: undefined, newer: undefined };
      this.#weight += weight;
      this.#entries.set(key, entry);
      this.#append(entry);
    }
    this.sweep(now);
    const maxWeight = this.#options.maxWeight ?? Infinity;
    while ((this.#entries.size > this.#options.maxEntries || this.#weight > maxWeight) && this.#oldest) this.#evict(this.#oldest, "capacity");
  }

  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#evict(entry, "deleted");
    return true;
  }

  /** Drops expired entries (from the oldest end). */
  sweep(now = this.#options.now()): void {
    while (this.#oldest && this.#oldest.expiresAt <= now) this.#evict(this.#oldest, "expired");
  }

  *values(): IterableIterator<V> {
    const now = this.#options.now();
    for (let entry = this.#oldest; entry; entry = entry.newer) if (entry.expiresAt > now) yield entry.value;
  }

  clear(): void {
    while (this.#oldest) this.#evict(this.#oldest, "deleted");
  }

  #append(entry: Entry<K, V>): void {
    entry.older = this.#newest;
    entry.newer = undefined;
    if (this.#newest) this.#newest.newer = entry;
    else this.#oldest = entry;
    this.#newest = entry;
  }

  #unlink(entry: Entry<K, V>): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    entry.older = entry.newer = undefined;
  }

  #evict(entry: Entry<K, V>, reason: EvictionReason): void {
    this.#entries.delete(entry.key);
    this.#weight -= entry.weight;
    this.#unlink(entry);
    this.#options.onEvict?.(entry.key, entry.value, reason);
  }
}
