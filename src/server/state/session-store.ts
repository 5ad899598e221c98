import type { Run } from "../engine/run.js";
import { BoundedMap } from "./bounded-map.js";

export interface SessionStoreOptions {
  maxSessions: number;
  ttlMs: number;
  /** Executions kept per session; the oldest are dropped past it. */
  maxExecutionsPerSession: number;
  now: () => number;
}

export type SessionLookup = { state: "found"; runs: readonly Run[] } | { state: "expired" } | { state: "unknown" };

/**
 * Executions grouped by `X-Session-Id`. A session that expires or is pushed
 * out is remembered (as a bare id, in a larger bounded set) so a later fetch
 * answers 410 Gone rather than 404.
 */
export class SessionStore {
  readonly #sessions: BoundedMap<string, Run[]>;
  readonly #expired: BoundedMap<string, true>;
  readonly #perSession: number;

  constructor(options: SessionStoreOptions) {
    this.#perSession = options.maxExecutionsPerSession;
    this.#expired = new BoundedMap({ maxEntries: options.maxSessions * 10, ttlMs: options.ttlMs * 24, now: options.now });
    this.#sessions = new BoundedMap({
      maxEntries: options.maxSessions,
      ttlMs: options.ttlMs,
      now: options.now,
      onEvict: (id, _runs, reason) => {
        if (reason !== "deleted") this.#expired.set(id, true);
      },
    });
  }

  add(sessionId: string, run: Run): void {
    const runs = this.#sessions.get(sessionId) ?? [];
    runs.push(run);
    if (runs.length > this.#perSession) runs.splice(0, runs.length - this.#perSession);
    this.#sessions.set(sessionId, runs);
    this.#expired.delete(sessionId);
  }

  lookup(sessionId: string): SessionLookup {
    const runs = this.#sessions.get(sessionId);
    if (runs) return { state: "found", runs };
    if (this.#expired.has(sessionId)) return { state: "expired" };
    return { state: "unknown" };
  }

  sweep(): void {
    this.#sessions.sweep();
    this.#expired.sweep();
  }

  get size(): number {
    return this.#sessions.size;
  }
}
