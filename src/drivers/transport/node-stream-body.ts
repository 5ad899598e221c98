import type { IncomingMessage } from "node:http";
import type { HttpRequest } from "../../core/effects.js";
import type { Cancellation } from "../cancellation.js";
import { NoukaiError } from "../../core/errors.js";
import type { TransportBody } from "./transport.js";
import { readBoundedText } from "./read-text.js";
import { abortError, connectionError, timeoutError } from "./transport-errors.js";

/**
 * At most this much of a stream is handed over per read. A fast stream
 * buffers far more between two reads; taken whole, each piece (its bytes,
 * its text, the events decoded from it) stays alive long enough that V8
 * grows its young generation to keep it: reading 200,000 events grew
 * resident memory by about 21 MB in 64 KiB pieces, and by 11 to 12 MB in
 * 16 KiB pieces, at the same speed.
 */
const READ_CHUNK_BYTES = 16 * 1024;

/**
 * A streamed `node:http` response, read on demand. Each `read()` returns
 * what is buffered, up to `READ_CHUNK_BYTES`, so a burst of events costs few
 * wake-ups. A read that waits longer than its timeout, or an abort, destroys
 * the response with the typed error, which the pending read reports.
 */
export class NodeStreamBody implements TransportBody {
  readonly kind = "body" as const;
  #ended = false;
  #failure: Error | undefined;
  #timer: NodeJS.Timeout | undefined;
  #waiter: { resolve: (chunk: Uint8Array | null) => void; reject: (error: Error) => void } | undefined;
  readonly #unsubscribe: () => void;
  readonly #res: IncomingMessage;
  readonly #request: HttpRequest;
  /** Reads away the rest of a complete answer, so that its socket goes back to the pool. */
  readonly #release: (res: IncomingMessage) => void;

  constructor(res: IncomingMessage, request: HttpRequest, cancel: Cancellation, release: (res: IncomingMessage) => void) {
    this.#res = res;
    this.#request = request;
    this.#release = release;
    this.#unsubscribe = cancel.onCancel((reason) => void res.destroy(abortError(request, reason)));
    res.on("readable", () => this.#wake());
    res.on("end", () => {
      this.#ended = true;
      this.#stopWaiting();
      this.#wake();
    });
    res.on("error", (error) => {
      this.#failure ??= error instanceof NoukaiError ? error : connectionError(request, error, false);
      this.#wake();
    });
    res.on("close", () => {
      if (!this.#ended) this.#failure ??= connectionError(request, undefined, false);
      this.#stopWaiting();
      this.#wake();
    });
  }

  read(timeoutMs: number | undefined): Promise<Uint8Array | null> {
    // Bytes that arrived before a failure are delivered before the failure is.
    const chunk = this.#take();
    if (chunk !== null) return Promise.resolve(chunk);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      if (timeoutMs !== undefined) this.#timer = setTimeout(() => this.#res.destroy(timeoutError(this.#request, timeoutMs, "body")), timeoutMs);
    });
  }

  readText(maxBytes: number, timeoutMs: number | undefined): Promise<string> {
    return readBoundedText((ms) => this.read(ms), () => this.discard(), maxBytes, timeoutMs);
  }

  /** Ends the answer with `error`, which the pending read, or the next one, reports. */
  interrupt(error: Error): void {
    if (!this.#ended) this.#res.destroy(error);
  }

  discard(): void {
    this.#stopWaiting();
    if (!this.#ended) {
      // A stream is usually left as soon as its last event is read, with the
      // end of the answer already received but not yet taken. Its socket can
      // then serve the next call (over TLS, that spares a handshake). An
      // answer still arriving could go on for any length: its socket is
      // closed instead.
      if (this.#res.complete && this.#failure === undefined) this.#release(this.#res);
      else this.#res.destroy();
    }
    this.#ended = true;
  }

  #stopWaiting(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe();
  }

  /** Up to `READ_CHUNK_BYTES` of what is buffered (`read(n)` gives nothing while less than n is there). */
  #take(): Buffer | null {
    return (this.#res.read(READ_CHUNK_BYTES) ?? this.#res.read()) as Buffer | null;
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    const chunk = this.#take();
    if (chunk === null && this.#failure === undefined && !this.#ended) return;
    this.#waiter = undefined;
    clearTimeout(this.#timer);
    if (chunk !== null) waiter.resolve(chunk);
    else if (this.#failure !== undefined) waiter.reject(this.#failure);
    else waiter.resolve(null);
  }
}
