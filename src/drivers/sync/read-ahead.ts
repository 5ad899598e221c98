import type { HttpRequest } from "../../core/effects.js";
import { timeoutError } from "../transport/transport-errors.js";
import type { TransportBody } from "../transport/transport.js";

/**
 * An event stream's body as the I/O worker holds it: it keeps reading while
 * the caller's thread is busy with what it was given, up to `maxAhead`
 * bytes, and hands all of it over at the next read, in one fresh buffer
 * that can be transferred rather than cloned.
 *
 * Each read is a round trip between the threads (a message, a wake-up, a
 * message back), and it costs the same for 16 KiB as for 256 KiB: read one
 * socket chunk at a time, the blocking client spent more than half its time
 * on a fast stream in those trips. A caller that waits is answered with the
 * first chunk that arrives, so a slow stream's events are not held back.
 *
 * The read's `timeoutMs` bounds the caller's wait, counted from when it
 * starts waiting, as the transport's own read does: reading ahead has no
 * bound of its own, since the caller may be busy for any length of time.
 */
export class ReadAhead {
  readonly #body: TransportBody;
  readonly #request: HttpRequest;
  readonly #maxAhead: number;
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #ended = false;
  #failure: { error: Error } | undefined;
  #reading = false;
  #discarded = false;
  #waiter: { resolve: (chunk: Uint8Array | null) => void; reject: (error: Error) => void; timer: NodeJS.Timeout | undefined } | undefined;

  constructor(body: TransportBody, request: HttpRequest, maxAhead: number) {
    this.#body = body;
    this.#request = request;
    this.#maxAhead = maxAhead;
  }

  /** What was read ahead, or the next chunk, or `null` at the end; bytes that came before a failure come before it. */
  read(timeoutMs: number | undefined): Promise<Uint8Array | null> {
    const settled = this.#settled();
    this.#readOn();
    if (settled !== undefined) return settled;
    return new Promise((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.#timedOut(timeoutMs), timeoutMs);
      this.#waiter = { resolve, reject, timer };
    });
  }

  /** For an answer that is read whole (an error's body), never after `read()`. */
  readText(maxBytes: number, timeoutMs: number | undefined): Promise<string> {
    return this.#body.readText(maxBytes, timeoutMs);
  }

  discard(): void {
    this.#discarded = true;
    this.#chunks = [];
    this.#bytes = 0;
    this.#body.discard();
  }

  /** The answer a read can have at once, if it has one. */
  #settled(): Promise<Uint8Array | null> | undefined {
    if (this.#bytes > 0) return Promise.resolve(this.#takeAll());
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve(null);
    return undefined;
  }

  /** Reads until `maxAhead` bytes wait, the body ends or fails; one loop at a time. */
  #readOn(): void {
    if (this.#reading) return;
    this.#reading = true;
    void this.#loop().finally(() => (this.#reading = false));
  }

  async #loop(): Promise<void> {
    try {
      while (!this.#ended && this.#failure === undefined && !this.#discarded && this.#bytes < this.#maxAhead) {
        const chunk = await this.#body.read(undefined);
        if (this.#discarded) return;
        if (chunk === null) this.#ended = true;
        else {
          this.#chunks.push(chunk);
          this.#bytes += chunk.length;
        }
        this.#answerWaiter();
      }
    } catch (error) {
      // A read that timed out has already failed the body with its own error.
      this.#failure ??= { error: error instanceof Error ? error : new Error(String(error)) };
      this.#answerWaiter();
    }
  }

  #answerWaiter(): void {
    const waiter = this.#waiter;
    const settled = waiter === undefined ? undefined : this.#settled();
    if (waiter === undefined || settled === undefined) return;
    this.#waiter = undefined;
    clearTimeout(waiter.timer);
    settled.then(waiter.resolve, waiter.reject);
  }

  #timedOut(timeoutMs: number): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    this.#failure = { error: timeoutError(this.#request, timeoutMs, "body") };
    this.#body.discard();
    waiter.reject(this.#failure.error);
  }

  /** Every chunk read ahead, copied into one buffer of its own (a pooled Buffer cannot be transferred without its pool). */
  #takeAll(): Uint8Array {
    const all = new Uint8Array(this.#bytes);
    let offset = 0;
    for (const chunk of this.#chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    this.#chunks = [];
    this.#bytes = 0;
    return all;
  }
}
