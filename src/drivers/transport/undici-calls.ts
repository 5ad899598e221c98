import type { Dispatcher, Pool } from "undici";
import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import { NoukaiError } from "../../core/errors.js";
import { Deadline, Deadlines } from "./deadlines.js";
import { headersFromRaw } from "./raw-headers.js";
import { basePathOf, type FetchOptions } from "./transport.js";
import { abortError, connectionError, timeoutError, tooLargeError } from "./transport-errors.js";

/**
 * Whole-body exchanges (every call but an event stream) over undici's
 * dispatcher. On loopback a round trip through it costs about two thirds of
 * the CPU time a keep-alive `node:http` one does (see BENCHMARKS.md).
 *
 * Its handler never asks undici to pause: each chunk is taken as it comes,
 * and an error body over its limit ends the request instead. undici 6.29.1
 * and 7.30.2 fail an assertion, uncaught, when a connection ends while a
 * reader holds the parser paused; a handler that never pauses cannot meet
 * it. (Event streams, read at the caller's pace, stay on `node:http`.)
 *
 * One pool per client, so `close()` frees exactly this client's sockets;
 * undici's own timeouts are off, since this transport's timers say what
 * timed out in the SDK's words. Idle connections are closed before the
 * server's `Keep-Alive: timeout` runs out (after 4 s without one), so a call
 * rarely meets a connection the server has just closed; one that does fails
 * before any answer, and the core retries it like any such failure, in the
 * open: logged, and within `maxRetries`.
 */
export class UndiciCalls {
  #pool: Pool | undefined;
  #closed = false;
  readonly #deadlines = new Deadlines();

  readonly #origin: string;
  readonly #basePath: string;
  readonly #maxConnections: number;

  /** `maxConnections`: the pool's most connections; calls beyond wait in its queue. */
  constructor(baseUrl: URL, maxConnections: number) {
    this.#origin = baseUrl.origin;
    this.#basePath = basePathOf(baseUrl);
    this.#maxConnections = maxConnections;
  }

  /**
   * Whether calls can go through undici now: only once `warm()` has loaded
   * it. Until then (and for good if loading fails), the caller sends its
   * calls another way. So a client that only streams never loads undici, and
   * a short script's first call does not wait for it.
   */
  ready(): boolean {
    if (this.#pool !== undefined) return true;
    if (this.#closed || poolClass === undefined) return false;
    const PoolClass = poolClass;
    this.#pool = new PoolClass(this.#origin, { headersTimeout: 0, bodyTimeout: 0, connections: this.#maxConnections });
    return true;
  }

  /**
   * Starts loading undici in the background, if nothing has yet. Called once
   * a call sent another way has its answer: loading takes the thread for
   * 20 to 40 ms, and started with the first call it held up that call's
   * answer by as much.
   */
  warm(): Promise<void> {
    return this.#closed ? Promise.resolve() : loadPool();
  }

  /** A whole answer through undici; only once `ready()` said so. */
  fetch(request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
    if (this.#pool === undefined) throw new Error("UndiciCalls.fetch() before ready()");
    return exchange(this.#pool, this.#basePath, this.#deadlines, request, options);
  }

  close(): void {
    this.#closed = true;
    void this.#pool?.destroy().catch(() => undefined);
    this.#pool = undefined;
    this.#deadlines.clear();
  }
}

let poolClass: typeof Pool | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads undici's Pool once per process. Only the pool, not undici's main
 * module: that one also loads `fetch`, WebSocket and the rest, and took 95 to
 * 110 ms to load where this takes 40 to 50. The version is pinned exactly, so
 * the path cannot move under us. Settles once loading has ended, loaded or not.
 */
function loadPool(): Promise<void> {
  return (loading ??= import("undici/lib/dispatcher/pool.js").then(
    (module) => void (poolClass = module.default),
    // A failure leaves calls on node:http, which carries them all.
    () => undefined,
  ));
}

/**
 * One request and its whole answer: a success up to `maxBodyBytes` (past it,
 * `RESPONSE_TOO_LARGE`), a failure to its first `maxErrorBytes`. A deadline
 * (on the client's one timer) bounds the whole exchange, from sending to the last byte: a server that
 * drips its answer cannot hold a call longer than its timeout. Until the
 * promise settles, a timeout or a cancellation ends it with the typed error,
 * and nothing can keep it from settling.
 */
function exchange(pool: Pool, basePath: string, deadlines: Deadlines, request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (options.cancel.cancelled) return reject(abortError(request, options.cancel.reason));
    pool.dispatch(
      { path: basePath + request.path, method: request.method, headers: request.headers, body: request.body ?? null },
      new WholeAnswer(deadlines, request, options, resolve, reject),
    );
  });
}

/**
 * undici's handler for one exchange, and its state. One object with its
 * methods on the prototype, rather than a closure per method and per state
 * variable: every call makes one, and the round trip is short enough that
 * those allocations showed in its count of instructions.
 */
class WholeAnswer extends Deadline implements Dispatcher.DispatchHandlers {
  #settled = false;
  #interruption: Error | undefined;
  #abortRequest: ((error: Error) => void) | undefined;
  #status = 0;
  #headers: Record<string, string> = {};
  #keep: number;
  #chunks: Buffer[] = [];
  #size = 0;
  readonly #unsubscribe: () => void;

  constructor(
    readonly deadlines: Deadlines,
    readonly request: HttpRequest,
    readonly options: FetchOptions,
    readonly resolve: (response: HttpResponse) => void,
    readonly reject: (error: Error) => void,
  ) {
    super();
    this.#keep = options.maxBodyBytes;
    deadlines.add(this, options.timeoutMs);
    this.#unsubscribe = options.cancel.onCancel((reason) => this.interrupt(abortError(request, reason)));
  }

  #settle(error: Error | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    this.deadlines.remove(this);
    this.#unsubscribe();
    if (error !== undefined) return this.reject(error);
    // Whatever goes wrong from here still settles the call.
    try {
      this.resolve({ status: this.#status, headers: this.#headers, text: utf8(this.#chunks, Math.min(this.#size, this.#keep)) });
    } catch (failure) {
      this.reject(connectionError(this.request, failure, false));
    }
  }

  /** Ends the request without waiting for undici (it may not have started it yet). */
  interrupt(error: Error): void {
    if (this.#settled) return;
    this.#interruption = error;
    this.#settle(error);
    this.#abortRequest?.(error);
  }

  expire(): void {
    this.interrupt(timeoutError(this.request, this.options.timeoutMs, this.#status === 0 ? "headers" : "answer"));
  }

  onConnect(abort: (error: Error) => void): void {
    this.#abortRequest = abort;
    if (this.#interruption !== undefined) abort(this.#interruption);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx answers are interim; the real one follows.
    if (statusCode < 200) return true;
    this.#status = statusCode;
    this.#headers = headersFromRaw(rawHeaders);
    if (statusCode >= 300) this.#keep = this.options.maxErrorBytes;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    if (this.#size < this.#keep) return true;
    if (this.#status >= 300) {
      // An error body is kept to its first bytes; the rest is never read into memory.
      this.#settle(undefined);
      this.#abortRequest?.(new Error("the error body was read far enough"));
    } else if (this.#size > this.#keep) {
      this.#chunks.length = 0;
      this.interrupt(tooLargeError(this.request, this.options.maxBodyBytes));
    }
    return true;
  }

  onComplete(): void {
    this.#settle(undefined);
  }

  onError(error: Error): void {
    this.#settle(error instanceof NoukaiError ? error : connectionError(this.request, error, this.#status === 0));
  }
}

/**
 * The first `length` bytes of the chunks as UTF-8 text. Most answers come in
 * one chunk, which is decoded where it lies instead of being copied into a
 * new buffer first.
 */
function utf8(chunks: readonly Buffer[], length: number): string {
  const only = chunks.length === 1 ? chunks[0] : undefined;
  if (only !== undefined) return length === only.length ? only.toString() : only.toString("utf8", 0, length);
  return Buffer.concat(chunks, length).toString("utf8");
}
