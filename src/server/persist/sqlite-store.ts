import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Database } from "node-sqlite3-wasm";
import { reportUnexpected } from "../unexpected.js";
import { DataDirError } from "./data-dir-error.js";
import { lockDataDir } from "./dir-lock.js";

/** The database file in a data directory. */
export const DB_FILE = "state.db";

/** A value to write, made when the write happens (so a record changed ten times is encoded once), or null to delete. */
type Pending = (() => string) | null;

/**
 * A data directory: one key-value table in SQLite, run as WebAssembly
 * (node-sqlite3-wasm), so it installs from npm on any platform with no
 * compiler, no install script and no download. Writes are coalesced: `put`
 * and `del` mark a key, and once per turn of the event loop one transaction
 * writes the latest state of every marked key. SQLite's rollback journal
 * makes each transaction all or nothing, even when the process is killed in
 * the middle of one.
 */
export class SqliteStore {
  readonly #db: Database;
  readonly #unlock: () => void;
  readonly #dirty = new Map<string, Pending>();
  #scheduled: ReturnType<typeof setImmediate> | undefined;
  #frozen = false;
  #failed = false;
  #closed = false;

  private constructor(db: Database, unlock: () => void) {
    this.#db = db;
    this.#unlock = unlock;
  }

  /** Opens (creating) the directory; a clear error when it cannot be, e.g. another server holds it. */
  static open(dir: string): SqliteStore {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new DataDirError(`cannot create the data directory ${dir}: ${(error as Error).message}`);
    }
    const unlock = lockDataDir(dir);
    try {
      const file = join(dir, DB_FILE);
      // The WebAssembly VFS locks the file with a directory beside it; one left by a killed server is stale, since we hold the directory's lock.
      rmSync(`${file}.lock`, { recursive: true, force: true });
      // Loaded here, not imported: a server without a data directory never loads SQLite (1.3 MB of WebAssembly).
      const { Database: SqliteDatabase } = createRequire(import.meta.url)("node-sqlite3-wasm") as { Database: typeof Database };
      const db = new SqliteDatabase(file);
      // EXCLUSIVE: the lock is taken once, not around every transaction (four times faster here).
      // synchronous=OFF: a killed process loses nothing the OS has been handed; only a power cut could lose the last writes, which a dev server may.
      db.exec("PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = OFF;");
      db.exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
      return new SqliteStore(db, unlock);
    } catch (error) {
      unlock();
      throw new DataDirError(`cannot open the data directory ${dir}: ${(error as Error).message}`);
    }
  }

  /** Every key and value, in key order. */
  *entries(): IterableIterator<[string, string]> {
    const statement = this.#db.prepare("SELECT key, value FROM kv ORDER BY key");
    try {
      // Both columns are TEXT, written only by put().
      for (const row of statement.iterate()) yield [row["key"] as string, row["value"] as string];
    } finally {
      statement.finalize();
    }
  }

  put(key: string, value: () => string): void {
    this.#mark(key, value);
  }

  del(key: string): void {
    this.#mark(key, null);
  }

  /** Writes every marked key now. */
  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#dirty.size === 0 || this.#failed || this.#closed) return;
    const marked = [...this.#dirty];
    this.#dirty.clear();
    try {
      this.#db.exec("BEGIN");
      const put = this.#db.prepare("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)");
      const del = this.#db.prepare("DELETE FROM kv WHERE key = ?");
      try {
        for (const [key, value] of marked) {
          if (value === null) del.run([key]);
          else put.run([key, value()]);
        }
      } finally {
        put.finalize();
        del.finalize();
      }
      this.#db.exec("COMMIT");
    } catch (error) {
      // The server goes on in memory; what it cannot write is said once.
      this.#failed = true;
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
      reportUnexpected("writing to the data directory (state is kept in memory only from now on)", error);
    }
  }

  /** Writes what is marked, then ignores any later change: what a stop leaves is the state just before it. */
  freeze(): void {
    this.flush();
    this.#frozen = true;
  }

  close(): void {
    if (this.#closed) return;
    this.freeze();
    this.#closed = true;
    this.#db.close();
    this.#unlock();
  }

  #mark(key: string, value: Pending): void {
    if (this.#frozen || this.#failed) return;
    this.#dirty.delete(key);
    this.#dirty.set(key, value);
    // A turn of the event loop later, so the marks of a burst of work go in one transaction.
    this.#scheduled ??= setImmediate(() => this.flush());
  }
}
