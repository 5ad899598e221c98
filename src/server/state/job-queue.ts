export interface QueuedJob {
  run(): Promise<void>;
  /** Called instead of run() when the queue closes first. */
  cancel(): void;
  /** What the job holds while it waits (its run's bytes). */
  bytes?: number;
}

/**
 * A bounded queue served by a bounded pool: at most `concurrency` jobs run at
 * once and at most `maxQueued` wait, holding at most `maxQueuedBytes`
 * together. `close()` cancels what is still waiting and resolves when the
 * running jobs have ended.
 */
export class JobQueue {
  readonly #waiting: QueuedJob[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #maxQueuedBytes: number;
  #waitingBytes = 0;
  #closed = false;

  constructor(options: { concurrency: number; maxQueued: number; maxQueuedBytes?: number }) {
    this.#concurrency = Math.max(1, options.concurrency);
    this.#maxQueued = Math.max(0, options.maxQueued);
    this.#maxQueuedBytes = options.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Bytes the waiting jobs hold. */
  get waitingBytes(): number {
    return this.#waitingBytes;
  }

  get running(): number {
    return this.#running.size;
  }

  /** No room for another job of `bytes` (or closed). */
  full(bytes = 0): boolean {
    return this.#closed || this.#waiting.length >= this.#maxQueued || (this.#waiting.length > 0 && this.#waitingBytes + bytes > this.#maxQueuedBytes);
  }

  /** False when the queue is full or closed: the caller answers 503. */
  enqueue(job: QueuedJob): boolean {
    if (this.full(job.bytes)) return false;
    this.#waiting.push(job);
    this.#waitingBytes += job.bytes ?? 0;
    this.#pump();
    return true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#waitingBytes = 0;
    for (const job of this.#waiting.splice(0)) job.cancel();
    await Promise.allSettled([...this.#running]);
  }

  #pump(): void {
    while (!this.#closed && this.#running.size < this.#concurrency) {
      const job = this.#waiting.shift();
      if (!job) return;
      this.#waitingBytes -= job.bytes ?? 0;
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
