export interface QueuedJob {
  run(): Promise<void>;
  /** Called instead of run() when the queue closes first. */
  cancel(): void;
}

/**
 * A bounded queue served by a bounded pool: at most `concurrency` jobs run at
 * once and at most `maxQueued` wait. `close()` cancels what is still waiting
 * and resolves when the running jobs have ended.
 */
export class JobQueue {
  readonly #waiting: QueuedJob[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #concurrency: number;
  readonly #maxQueued: number;
  #closed = false;

  constructor(options: { concurrency: number; maxQueued: number }) {
    this.#concurrency = Math.max(1, options.concurrency);
    this.#maxQueued = Math.max(0, options.maxQueued);
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  get running(): number {
    return this.#running.size;
  }

  /** No room for another job (or closed). */
  get full(): boolean {
    return this.#closed || this.#waiting.length >= this.#maxQueued;
  }

  /** False when the queue is full or closed: the caller answers 503. */
  enqueue(job: QueuedJob): boolean {
    if (this.#closed || this.#waiting.length >= this.#maxQueued) return false;
    this.#waiting.push(job);
    this.#pump();
    return true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) job.cancel();
    await Promise.allSettled([...this.#running]);
  }

  #pump(): void {
    while (!this.#closed && this.#running.size < this.#concurrency) {
      const job = this.#waiting.shift();
      if (!job) return;
      const running: Promise<void> = job
        .run()
        .catch(() => undefined)
        .finally(() => {
          this.#running.delete(running);
          this.#pump();
        });
      this.#running.add(running);
    }
  }
}
