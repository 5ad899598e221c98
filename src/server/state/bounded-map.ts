export type EvictionReason = "expired" | "capacity" | "deleted";

export interface BoundedMapOptions<K, V> {
  /** Most entries kept; past it the least recently used goes. */
  maxEntries: number;
  /** An entry not read or written for this long expires. */
  ttlMs: number;
  now: () => number;
  onEvict?: (key: K, value: V, reason: EvictionReason) => void;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A map with an LRU cap and an idle TTL, so server state stays bounded however
 * long it runs. Map insertion order is the recency order (a touch re-inserts),
 * and with one TTL for all entries it is also the expiry order, so a sweep
 * only looks at the front.
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #options: BoundedMapOptions<K, V>;

  constructor(options: BoundedMapOptions<K, V>) {
    if (!(options.maxEntries >= 1)) throw new RangeError("maxEntries must be at least 1");
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = this.#options.now();
    if (entry.expiresAt <= now) {
      this.#evict(key, entry, "expired");
      return undefined;
    }
    this.#entries.delete(key);
    entry.expiresAt = now + this.#options.ttlMs;
    this.#entries.set(key, entry);
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

  set(key: K, value: V): void {
    const now = this.#options.now();
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: now + this.#options.ttlMs });
    this.sweep(now);
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      const entry = this.#entries.get(oldest.value);
      if (entry) this.#evict(oldest.value, entry, "capacity");
    }
  }

  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#evict(key, entry, "deleted");
    return true;
  }

  /** Drops expired entries (from the front, where the oldest are). */
  sweep(now = this.#options.now()): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#evict(key, entry, "expired");
    }
  }

  *values(): IterableIterator<V> {
    const now = this.#options.now();
    for (const entry of this.#entries.values()) if (entry.expiresAt > now) yield entry.value;
  }

  clear(): void {
    for (const [key, entry] of [...this.#entries]) this.#evict(key, entry, "deleted");
  }

  #evict(key: K, entry: Entry<V>, reason: EvictionReason): void {
    this.#entries.delete(key);
    this.#options.onEvict?.(key, entry.value, reason);
  }
}
