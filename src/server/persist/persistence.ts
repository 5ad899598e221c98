import type { Execution } from "../engine/execution.js";
import type { StoredBalance } from "../state/credit-ledger.js";
import type { RecordedResponse } from "../state/idempotency-store.js";
import type { SqliteStore } from "./sqlite-store.js";
import { encodeRun } from "./run-codec.js";

/** Keys by kind of record; a scope or id follows the prefix. */
export const RUN_KEY = "run:";
export const SESSION_KEY = "session:";
export const RECORD_KEY = "idempotency:";
export const CREDITS_KEY = "credits:";

/** What each stored value holds besides its record: when it was last written (its last use, for the TTLs). */
export interface Stamped<T> {
  savedAt: number;
  value: T;
}

export interface StoredRecord {
  fingerprint: string;
  response: RecordedResponse;
}

/**
 * The server's state as it changes, mirrored into a data directory: runs,
 * sessions, answered idempotency records and what is left of each org's
 * credits, each written when it changes
 * and deleted when its store lets it go (by count, bytes or TTL), so the
 * directory never holds more than memory does. Without a store attached
 * (no data directory) every call does nothing.
 */
export class Persistence {
  #store: SqliteStore | undefined;
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  attach(store: SqliteStore): void {
    this.#store = store;
  }

  /** A data directory is attached: what is saved is written (without one, saving does nothing). */
  get active(): boolean {
    return this.#store !== undefined;
  }

  saveRun(run: Execution): void {
    this.#store?.put(RUN_KEY + run.id, () => this.#stamped(encodeRun(run)));
  }

  dropRun(id: string): void {
    this.#store?.del(RUN_KEY + id);
  }

  saveSession(id: string, runIds: readonly string[]): void {
    const ids = [...runIds];
    this.#store?.put(SESSION_KEY + id, () => this.#stamped(ids));
  }

  dropSession(id: string): void {
    this.#store?.del(SESSION_KEY + id);
  }

  saveRecord(scope: string, record: StoredRecord): void {
    this.#store?.put(RECORD_KEY + scope, () => this.#stamped(record));
  }

  dropRecord(scope: string): void {
    this.#store?.del(RECORD_KEY + scope);
  }

  saveBalance(org: string, balance: StoredBalance): void {
    this.#store?.put(CREDITS_KEY + org, () => this.#stamped(balance));
  }

  /** Deletes a stored record by its key (one that could not be read back, or expired meanwhile). */
  drop(key: string): void {
    this.#store?.del(key);
  }

  /** Writes what changed so far. */
  flush(): void {
    this.#store?.flush();
  }

  /** Writes what changed, then no more: a stop leaves the state as it was just before it. */
  freeze(): void {
    this.#store?.freeze();
  }

  close(): void {
    this.#store?.close();
  }

  #stamped(value: unknown): string {
    return JSON.stringify({ savedAt: this.#now(), value });
  }
}
