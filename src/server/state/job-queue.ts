export interface QueuedJob {
  run(): Promise<void>;
  /** Called instead of run() when the queue closes first. */
  cancel(): void;
  /** What the job holds while it waits (its run's bytes). */
  bytes?: number;
}

export interface JobQueueOptions {
  /** Workers: jobs picked up or running at once. */
  concurrency: number;
  maxQueued: number;
  maxQueuedBytes?: number;
  /** How long a free worker takes to pick a job up before running it (default 0). */
  pickupMs?: number;
}

interface Pickup {
  timer: ReturnType<typeof setTimeout>;
  resolve: (picked: boolean) => void;
}

/**
 * A bounded queue served by a bounded pool of workers, like a hosted job
 * queue: a free worker takes the oldest waiting job and spends `pickupMs`
 * picking it up (the job is still pending then, and the worker busy) before
 * running it. So a lone job is pending for `pickupMs`, and with instant runs
 * the pool completes at most `concurrency * 1000 / pickupMs` jobs a second.
 * At most `maxQueued` jobs wait, holding at most `maxQueuedBytes` together.
 * `close()` cancels what is waiting or being picked up, and resolves when
 * the running jobs have ended.
 */
export class JobQueue {
  readonly #waiting: QueuedJob[] = [];
  /** Each busy worker's work: picking up, then running. */
  readonly #busy = new Set<Promise<void>>();
  readonly #pickups = new Map<QueuedJob, Pickup>();
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #maxQueuedBytes: number;
  readonly #pickupMs: number;
  #waitingBytes = 0;
  #closed = false;

  constructor(options: JobQueueOptions) {
    this.#concurrency = Math.max(1, options.concurrency);
    this.#maxQueued = Math.max(0, options.maxQueued);
    this.#maxQueuedBytes = options.maxQueuedBytes ?? Number.POSITIVE_INFINITY;
    this.#pickupMs = Math.max(0, options.pickupMs ?? 0);
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Bytes the waiting jobs hold. */
  get waitingBytes(): number {
    return this.#waitingBytes;
  }

  /** Jobs a worker has taken: being picked up or running. */
  get running(): number {
    return this.#busy.size;
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
    for (const [job, pickup] of this.#pickups) {
      clearTimeout(pickup.timer);
      job.cancel();
      pickup.resolve(false);
    }
    this.#pickups.clear();
    await Promise.allSettled([...this.#busy]);
  }

  #pump(): void {
    while (!this.#closed && this.#busy.size < this.#concurrency) {
      const job = this.#waiting.shift();
      if (!job) return;
      this.#waitingBytes -= job.bytes ?? 0;
      const started = this.#pickupMs === 0 ? job.run() : this.#pickUp(job).then((picked) => (picked ? job.run() : undefined));
      const work: Promise<void> = started
        .catch(() => undefined)
        .finally(() => {
          this.#busy.delete(work);
          this.#pump();
        });
      this.#busy.add(work);
    }
  }

  /** True once the pickup time has passed; false when the queue closed meanwhile (the job was cancelled). */
  #pickUp(job: QueuedJob): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pickups.delete(job);
        resolve(true);
      }, this.#pickupMs);
      this.#pickups.set(job, { timer, resolve });
    });
  }
}
