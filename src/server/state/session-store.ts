import { BoundedMap } from "../bounded-map.js";

export interface SessionStoreOptions {
  maxSessions: number;
  ttlMs: number;
  /** Executions kept per session; the oldest are dropped past it. */
  maxExecutionsPerSession: number;
  now: () => number;
  /** A session's list of runs changed (undefined: the session is gone). */
  onChange?: (sessionId: string, runIds: readonly string[] | undefined) => void;
}

export type SessionLookup<R> = { state: "found"; runs: R[] } | { state: "expired" } | { state: "unknown" };

/**
 * Executions grouped by `X-Session-Id`, by id: a session names its runs and
 * the run store keeps them, so a session never holds a run the store let go
 * (the store's byte budget stays the only one). A session that expires or is
 * pushed out is remembered (as a bare id, in a larger bounded set) so a later
 * fetch answers 410 Gone rather than 404.
 */
export class SessionStore {
  readonly #sessions: BoundedMap<string, string[]>;
  readonly #expired: BoundedMap<string, true>;
  readonly #perSession: number;
  readonly #onChange: SessionStoreOptions["onChange"];

  constructor(options: SessionStoreOptions) {
    this.#perSession = options.maxExecutionsPerSession;
    this.#onChange = options.onChange;
    this.#expired = new BoundedMap({ maxEntries: options.maxSessions * 10, ttlMs: options.ttlMs * 24, now: options.now });
    this.#sessions = new BoundedMap({
      maxEntries: options.maxSessions,
      ttlMs: options.ttlMs,
      now: options.now,
      onEvict: (id, _runs, reason) => {
        if (reason !== "deleted") this.#expired.set(id, true);
        this.#onChange?.(id, undefined);
      },
    });
  }

  add(sessionId: string, runId: string): void {
    const runs = this.#sessions.get(sessionId) ?? [];
    runs.push(runId);
    if (runs.length > this.#perSession) runs.splice(0, runs.length - this.#perSession);
    this.#sessions.set(sessionId, runs);
    this.#expired.delete(sessionId);
    this.#onChange?.(sessionId, runs);
  }

  /** Keeps a session read back from a data directory. */
  restore(sessionId: string, runIds: string[]): void {
    this.#sessions.set(sessionId, runIds.slice(-this.#perSession));
  }

  /** The session's runs that `find` still has, oldest first. */
  lookup<R>(sessionId: string, find: (runId: string) => R | undefined): SessionLookup<R> {
    const ids = this.#sessions.get(sessionId);
    if (ids) return { state: "found", runs: ids.map(find).filter((run): run is R => run !== undefined) };
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
