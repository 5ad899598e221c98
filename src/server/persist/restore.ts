import type { AppContext } from "../app/context.js";
import type { Execution } from "../engine/execution.js";
import { reportUnexpected } from "../unexpected.js";
import { decodeRun, FlowCache, type StoredRun } from "./run-codec.js";
import type { StoredBalance } from "../state/credit-ledger.js";
import { CREDITS_KEY, RECORD_KEY, RUN_KEY, SESSION_KEY, type Stamped, type StoredRecord } from "./persistence.js";
import type { SqliteStore } from "./sqlite-store.js";

/** The code of a run that was in flight when its server stopped. */
export const SERVER_RESTARTED = "SERVER_RESTARTED";

interface Loaded<T> {
  key: string;
  stamped: Stamped<T>;
}

/**
 * Puts a data directory's runs, sessions and idempotency records back into
 * the stores, oldest first (so the least recently used are pushed out first,
 * as they would have been), under the stores' own count, byte and TTL
 * bounds: what has expired meanwhile is dropped. A run that was pending or
 * running when the server stopped fails with SERVER_RESTARTED: nothing
 * drives it any more, and running it again could repeat its side effects.
 * An org's credits carry on from what was left when it is given the same
 * amount as before; a new amount starts afresh.
 */
export function restoreState(ctx: AppContext, store: SqliteStore): void {
  const runs: Loaded<StoredRun>[] = [];
  const sessions: Loaded<string[]>[] = [];
  const records: Loaded<StoredRecord>[] = [];
  const now = ctx.now();
  for (const [key, text] of store.entries()) {
    let stamped: Stamped<unknown>;
    try {
      stamped = JSON.parse(text) as Stamped<unknown>;
    } catch (error) {
      reportUnexpected(`reading ${key} from the data directory (it is skipped)`, error);
      ctx.persistence.drop(key);
      continue;
    }
    if (key.startsWith(RUN_KEY)) keep(runs, key, stamped, ctx.config.executionTtlMs);
    else if (key.startsWith(SESSION_KEY)) keep(sessions, key, stamped, ctx.config.sessionTtlMs);
    else if (key.startsWith(RECORD_KEY)) keep(records, key, stamped, ctx.config.idempotencyTtlMs);
    else if (key.startsWith(CREDITS_KEY) && !ctx.ledger.restore(key.slice(CREDITS_KEY.length), stamped.value as StoredBalance)) ctx.persistence.drop(key);
  }

  function keep<T>(into: Loaded<T>[], key: string, stamped: Stamped<unknown>, ttlMs: number): void {
    if (stamped.savedAt + ttlMs <= now) ctx.persistence.drop(key);
    else into.push({ key, stamped: stamped as Stamped<T> });
  }

  const flows = new FlowCache();
  for (const { key, stamped } of byAge(runs)) {
    let run: Execution;
    try {
      run = decodeRun(stamped.value, ctx.registry, ctx.config.maxEventsPerRun, flows);
    } catch (error) {
      reportUnexpected(`restoring ${key} from the data directory (it is skipped)`, error);
      ctx.persistence.drop(key);
      continue;
    }
    if (run.status === "pending" || run.status === "running") {
      failInterrupted(run, now);
      ctx.persistence.saveRun(run);
    }
    ctx.runs.restore(run);
  }
  for (const { key, stamped } of byAge(sessions)) ctx.sessions.restore(key.slice(SESSION_KEY.length), stamped.value);
  for (const { key, stamped } of byAge(records)) ctx.idempotency.restore(key.slice(RECORD_KEY.length), stamped.value.fingerprint, stamped.value.response);
}

function byAge<T>(loaded: Loaded<T>[]): Loaded<T>[] {
  return loaded.sort((a, b) => a.stamped.savedAt - b.stamped.savedAt);
}

/** Fails a run the stop interrupted, and the step and attempt it was in, with SERVER_RESTARTED. */
function failInterrupted(run: Execution, now: number): void {
  const what = run.trigger === "job" ? (run.status === "pending" ? "job was waiting in the queue" : "job was running") : "execution was running";
  const message = `the local server stopped while this ${what}; it was not run again after the restart`;
  const error = { code: SERVER_RESTARTED, message };
  for (const item of [...run.attempts, ...run.steps]) {
    if (item.status !== "running") continue;
    item.status = "failed";
    item.completedAt = now;
    item.error = error;
  }
  run.status = "failed";
  run.error = `${SERVER_RESTARTED}: ${message}`;
  run.result = run.error;
  run.completedAt = now;
  run.busy = false;
  // Exact-size arrays, as for any run that ends (Execution.compact).
  run.compact();
  run.log.settle();
}
