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
  /**
   * False for an entry in use (a run in flight, an answer still being
   * recorded): it is neither pushed out nor expired, only passed over.
   */
  evictable?: (value: V) => boolean;
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
    if (this.#expired(entry, now)) {
      this.#evict(entry, "expired");
      return undefined;
    }
    entry.expiresAt = now + this.#options.ttlMs;
    this.#unlink(entry);
    this.#append(entry);
    return entry.value;
  }

  /** The weight an entry had when it was last stored (0 when absent). */
  weightOf(key: K): number {
    return this.#entries.get(key)?.weight ?? 0;
  }

  /** Reads without refreshing recency or TTL. */
  peek(key: K): V | undefined {
    const entry = this.#entries.get(key);
    return entry && !this.#expired(entry, this.#options.now()) ? entry.value : undefined;
  }

  has(key: K): boolean {
    return this.peek(key) !== undefined;
  }

  /** Stores (or re-weighs, for a value that grew) an entry; returns the weight it had before (0 when new). */
  set(key: K, value: V): number {
    const now = this.#options.now();
    const weight = this.#options.weigh?.(value) ?? 0;
    const existing = this.#entries.get(key);
    const before = existing?.weight ?? 0;
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
    if (this.#oldest && this.#oldest.expiresAt <= now) this.sweep(now);
    this.#trim(this.#options.maxEntries, this.#options.maxWeight ?? Infinity, now);
    return before;
  }

  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#evict(entry, "deleted");
    return true;
  }

  /** Pushes out least recently used entries (not those in use) until the total weight is at most `weight`. */
  trimTo(weight: number): void {
    this.#trim(this.#options.maxEntries, weight, this.#options.now());
  }

  /** Drops expired entries (from the oldest end). */
  sweep(now = this.#options.now()): void {
    let passedOver = 0;
    while (this.#oldest && this.#oldest.expiresAt <= now && passedOver < this.#entries.size) {
      if (this.#inUse(this.#oldest, now)) passedOver++;
      else this.#evict(this.#oldest, "expired");
    }
  }

  /**
   * Evicts from the oldest end while over `maxEntries` or `maxWeight`. An
   * entry in use moves to the newest end instead (it is being used); after a
   * whole pass over entries in use, it stops: what is left cannot go.
   */
  #trim(maxEntries: number, maxWeight: number, now: number): void {
    let passedOver = 0;
    while ((this.#entries.size > maxEntries || this.#weight > maxWeight) && this.#oldest && passedOver < this.#entries.size) {
      if (this.#inUse(this.#oldest, now)) passedOver++;
      else this.#evict(this.#oldest, "capacity");
    }
  }

  /** True (and the entry moved to the newest end, its TTL renewed) for an entry that may not go now. */
  #inUse(entry: Entry<K, V>, now: number): boolean {
    const evictable = this.#options.evictable;
    if (!evictable || evictable(entry.value)) return false;
    entry.expiresAt = now + this.#options.ttlMs;
    this.#unlink(entry);
    this.#append(entry);
    return true;
  }

  *values(): IterableIterator<V> {
    const now = this.#options.now();
    for (let entry = this.#oldest; entry; entry = entry.newer) if (!this.#expired(entry, now)) yield entry.value;
  }

  clear(): void {
    while (this.#oldest) this.#evict(this.#oldest, "deleted");
  }

  /** Past its TTL, and not in use. */
  #expired(entry: Entry<K, V>, now: number): boolean {
    return entry.expiresAt <= now && (this.#options.evictable?.(entry.value) ?? true);
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
