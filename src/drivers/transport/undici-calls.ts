import type { Dispatcher, Pool } from "undici";
import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import { NoukaiError } from "../../core/errors.js";
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

  readonly #origin: string;
  readonly #basePath: string;

  constructor(baseUrl: URL) {
    this.#origin = baseUrl.origin;
    this.#basePath = basePathOf(baseUrl);
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
    this.#pool = new PoolClass(this.#origin, { headersTimeout: 0, bodyTimeout: 0 });
    return true;
  }

  /**
   * Starts loading undici in the background, if nothing has yet. Called once
   * a call sent another way has its answer: loading takes the thread for
   * 20 to 40 ms, and started with the first call it held up that call's
   * answer by as much.
   */
  warm(): void {
    if (!this.#closed) loadPool();
  }

  /** A whole answer through undici; only once `ready()` said so. */
  fetch(request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
    if (this.#pool === undefined) throw new Error("UndiciCalls.fetch() before ready()");
    return exchange(this.#pool, this.#basePath, request, options);
  }

  close(): void {
    this.#closed = true;
    void this.#pool?.destroy().catch(() => undefined);
    this.#pool = undefined;
  }
}

let poolClass: typeof Pool | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads undici's Pool once per process. Only the pool, not undici's main
 * module: that one also loads `fetch`, WebSocket and the rest, and took 95 to
 * 110 ms to load where this takes 40 to 50. The version is pinned exactly, so
 * the path cannot move under us.
 */
function loadPool(): void {
  loading ??= import("undici/lib/dispatcher/pool.js").then(
    (module) => void (poolClass = module.default),
    // A failure leaves calls on node:http, which carries them all.
    () => undefined,
  );
}

/**
 * One request and its whole answer: a success up to `maxBodyBytes` (past it,
 * `RESPONSE_TOO_LARGE`), a failure to its first `maxErrorBytes`. One timer
 * bounds the whole exchange, from sending to the last byte: a server that
 * drips its answer cannot hold a call longer than its timeout. Until the
 * promise settles, a timeout or a cancellation ends it with the typed error,
 * and nothing can keep it from settling.
 */
function exchange(
  pool: Pool,
  basePath: string,
  request: HttpRequest,
  { timeoutMs, cancel, maxBodyBytes, maxErrorBytes }: FetchOptions,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    if (cancel.cancelled) return reject(abortError(request, cancel.reason));
    let settled = false;
    let interruption: Error | undefined;
    let abortRequest: ((error: Error) => void) | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    let keep = maxBodyBytes;
    const chunks: Buffer[] = [];
    let size = 0;

    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      if (error !== undefined) return reject(error);
      // Whatever goes wrong from here still settles the call.
      try {
        resolve({ status, headers, text: Buffer.concat(chunks, Math.min(size, keep)).toString("utf8") });
      } catch (failure) {
        reject(connectionError(request, failure, false));
      }
    };
    // Ends the request without waiting for undici (it may not have started it yet).
    const interrupt = (error: Error): void => {
      if (settled) return;
      interruption = error;
      settle(error);
      abortRequest?.(error);
    };
    const timer = setTimeout(() => interrupt(timeoutError(request, timeoutMs, status === 0 ? "headers" : "answer")), timeoutMs);
    const unsubscribe = cancel.onCancel((reason) => interrupt(abortError(request, reason)));

    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abort) {
        abortRequest = abort;
        if (interruption !== undefined) abort(interruption);
      },
      onHeaders(statusCode, rawHeaders) {
        // 1xx answers are interim; the real one follows.
        if (statusCode < 200) return true;
        status = statusCode;
        headers = headersFromRaw(rawHeaders);
        if (statusCode >= 300) keep = maxErrorBytes;
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        size += chunk.length;
        if (size < keep) return true;
        if (status >= 300) {
          // An error body is kept to its first bytes; the rest is never read into memory.
          settle(undefined);
          abortRequest?.(new Error("the error body was read far enough"));
        } else if (size > keep) {
          chunks.length = 0;
          interrupt(tooLargeError(request, maxBodyBytes));
        }
        return true;
      },
      onComplete() {
        settle(undefined);
      },
      onError(error) {
        settle(error instanceof NoukaiError ? error : connectionError(request, error, status === 0));
      },
    };
    pool.dispatch(
      { path: basePath + request.path, method: request.method, headers: request.headers, body: request.body ?? null },
      handler,
    );
  });
}
