/**
 * A fixed window per client: at most `requests` in each `windowMs`. Windows
 * are kept in a Map bounded by `maxClients`; past it, expired windows go
 * first, then the oldest (forgetting a window only gives that client a fresh
 * count, it never refuses anyone).
 */
export class RateLimiter {
  readonly #windows = new Map<string, { startedAt: number; count: number }>();
  readonly #requests: number;
  readonly #windowMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;

  constructor(limit: { requests: number; windowMs: number; maxClients?: number | undefined }, now: () => number) {
    this.#requests = limit.requests;
    this.#windowMs = limit.windowMs;
    this.#maxClients = limit.maxClients ?? 10_000;
    this.#now = now;
  }

  /** Counts a request of this client: undefined when allowed, else the seconds until its window ends. */
  take(client: string): number | undefined {
    const now = this.#now();
    let window = this.#windows.get(client);
    if (window === undefined || now - window.startedAt >= this.#windowMs) {
      this.#windows.delete(client);
      this.#makeRoom(now);
      window = { startedAt: now, count: 0 };
      this.#windows.set(client, window);
    }
    if (window.count >= this.#requests) return Math.max(1, Math.ceil((window.startedAt + this.#windowMs - now) / 1000));
    window.count += 1;
    return undefined;
  }

  #makeRoom(now: number): void {
    if (this.#windows.size < this.#maxClients) return;
    for (const [client, window] of this.#windows) if (now - window.startedAt >= this.#windowMs) this.#windows.delete(client);
    while (this.#windows.size >= this.#maxClients) {
      const oldest = this.#windows.keys().next();
      if (oldest.done === true) return;
      this.#windows.delete(oldest.value);
    }
  }
}
