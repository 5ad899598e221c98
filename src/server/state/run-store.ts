import type { Execution } from "../engine/execution.js";
import { BoundedMap } from "../bounded-map.js";

export interface RunStoreOptions {
  maxRuns: number;
  /** The most bytes runs may hold, kept ones and those in flight together. */
  maxBytes: number;
  ttlMs: number;
  now: () => number;
  /** A run left the store (pushed out, expired). */
  onEvict?: (id: string) => void;
}

/**
 * Every run of the server, weighed by what it holds (`Execution.bytes`), within
 * one byte budget. A run is held while a request or a job works on it (or it
 * waits in the job queue): a held run is never pushed out, and together the
 * held runs may not grow past the budget, so a run in flight that would
 * fails instead (its step's allowance is the room left). Runs no one holds
 * are kept for traces, polls and sessions, least recently used first out.
 */
export class RunStore {
  readonly #runs: BoundedMap<string, Execution>;
  readonly #maxBytes: number;
  /** What the held runs weighed when last stored. */
  #heldBytes = 0;

  constructor(options: RunStoreOptions) {
    this.#maxBytes = options.maxBytes;
    this.#runs = new BoundedMap({
      maxEntries: options.maxRuns,
      ttlMs: options.ttlMs,
      now: options.now,
      maxWeight: options.maxBytes,
      weigh: (run) => run.bytes,
      evictable: (run) => run.holds === 0,
      ...(options.onEvict ? { onEvict: options.onEvict } : {}),
    });
  }

  get size(): number {
    return this.#runs.size;
  }

  /** Bytes the runs kept hold, as last weighed. */
  get bytes(): number {
    return this.#runs.weight;
  }

  get(id: string): Execution | undefined {
    return this.#runs.get(id);
  }

  /** Reads without counting as a use (sessions list their runs this way). */
  peek(id: string): Execution | undefined {
    return this.#runs.peek(id);
  }

  /**
   * Adds a new run, held by the request that made it. False (and nothing
   * added) when the runs in flight leave no room for it.
   */
  add(run: Execution): boolean {
    const bytes = run.bytes;
    if (this.#heldBytes + bytes > this.#maxBytes) return false;
    run.holds = 1;
    this.#heldBytes += bytes;
    this.#runs.set(run.id, run);
    return true;
  }

  /** Keeps a run read back from a data directory, held by no one (the budget may push older ones out). */
  restore(run: Execution): void {
    this.#runs.set(run.id, run);
  }

  /** A request or job starts working on a kept run. */
  hold(run: Execution): void {
    const holds = run.holds;
    run.holds = holds + 1;
    if (holds === 0) this.#heldBytes += this.#runs.weightOf(run.id);
  }

  /** The work on a run ended: it is weighed as it now is, and may be pushed out like any kept run. */
  release(run: Execution): void {
    const holds = run.holds;
    if (holds === 0) return;
    run.holds = holds - 1;
    // Storing it again weighs it (one lookup: it tells what the run weighed when held), and brings the store back within its budget.
    const weighed = this.#runs.set(run.id, run);
    this.#heldBytes += holds > 1 ? run.bytes - weighed : -weighed;
  }

  /** Bytes a held `run` may still grow by: the budget less every held run, its own growth since it was weighed included. */
  room(run: Execution): number {
    return this.#maxBytes - this.#heldBytes - (run.bytes - this.#runs.weightOf(run.id));
  }

  sweep(): void {
    this.#runs.sweep();
  }
}
