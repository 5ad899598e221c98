import { BoundedMap } from "../bounded-map.js";

export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

interface Window {
  start: number;
  count: number;
}

/** Fixed windows per API key: `requests` per `windowSeconds`, counted from a key's first request. */
export class RateLimiter {
  readonly #windows: BoundedMap<string, Window>;
  readonly #limit: RateLimit;
  readonly #now: () => number;

  constructor(limit: RateLimit, now: () => number) {
    this.#limit = limit;
    this.#now = now;
    this.#windows = new BoundedMap({ maxEntries: 10_000, ttlMs: limit.windowSeconds * 1000, now });
  }

  /** Counts one request; returns the whole seconds to wait when over the limit. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.#now();
    const windowMs = this.#limit.windowSeconds * 1000;
    let window = this.#windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= this.#limit.requests) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + windowMs - now) / 1000)) };
    }
    window.count += 1;
    return { allowed: true };
  }
}
