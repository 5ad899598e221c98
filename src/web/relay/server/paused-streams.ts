import type { StreamEvent, ToolCallsRequired } from "../../../core/stream-events.js";

/**
 * Streamed runs paused for tool calls, held by the relay between the
 * browser's requests. A stream's paused state is the live `events()`
 * iterator itself (the step cursor lives in it), so it cannot travel in a
 * token: the token carries a handle to it instead. Entries leave when
 * resumed, when their token expires, or (the oldest first) when more than
 * `max` are held; a run let go has its iterator closed, which ends its
 * request to the service.
 */
export interface PausedStream {
  readonly iterator: AsyncIterator<StreamEvent>;
  readonly pause: ToolCallsRequired;
  readonly executionId: string;
  readonly round: number;
  readonly expiresAt: number;
}

export class PausedStreams {
  readonly #held = new Map<string, { stream: PausedStream; timer: ReturnType<typeof setTimeout> }>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(max: number, now: () => number) {
    this.#max = max;
    this.#now = now;
  }

  hold(handle: string, stream: PausedStream): void {
    while (this.#held.size >= this.#max) {
      const oldest = this.#held.keys().next();
      if (oldest.done === true) break;
      this.#letGo(oldest.value);
    }
    const timer = setTimeout(() => this.#letGo(handle), Math.max(0, stream.expiresAt - this.#now()));
    // A held run must not keep a process alive that has nothing else to do.
    (timer as { unref?: () => void }).unref?.();
    this.#held.set(handle, { stream, timer });
  }

  /** The held run, taken out (so that a second use finds nothing), or undefined. */
  take(handle: string): PausedStream | undefined {
    const entry = this.#held.get(handle);
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    this.#held.delete(handle);
    return entry.stream;
  }

  get size(): number {
    return this.#held.size;
  }

  #letGo(handle: string): void {
    const stream = this.take(handle);
    if (stream !== undefined) void closeQuietly(stream.iterator);
  }
}

export async function closeQuietly(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // Closing is best effort: the run is abandoned either way.
  }
}
