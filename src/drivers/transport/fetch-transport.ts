import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import { NoukaiError } from "../../core/errors.js";
import type { FetchOptions, RequestOptions, Transport, TransportBody, TransportHead } from "./transport.js";
import { readBoundedText, readWholeText } from "./read-text.js";
import { abortError, connectionError, timeoutError, tooLargeError } from "./transport-errors.js";

/**
 * `fetch`, for runtimes without `node:http` (browsers, edge, Deno without
 * Node compatibility) and for callers who pass their own. Redirects are not
 * followed: a redirect could carry the key to another host.
 */
export class FetchTransport implements Transport {
  readonly #base: string;
  readonly #fetch: typeof globalThis.fetch;

  constructor(baseUrl: URL, fetchImpl: typeof globalThis.fetch) {
    this.#base = baseUrl.href.replace(/\/+$/, "");
    this.#fetch = fetchImpl;
  }

  /** A whole answer: one timer from sending to the last byte, and a success read only up to `maxBodyBytes`. */
  async fetch(request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
    const head = await this.#start(request, options, "answer");
    const body = head.body;
    if (head.status >= 200 && head.status < 300) {
      const text = await readWholeText((ms) => body.read(ms), () => body.discard(), options.maxBodyBytes, undefined);
      if (text === undefined) throw tooLargeError(request, options.maxBodyBytes);
      return { status: head.status, headers: head.headers, text };
    }
    return { status: head.status, headers: head.headers, text: await body.readText(options.maxErrorBytes, undefined) };
  }

  /** A streamed answer: the timeout bounds the wait for the headers, then each silence in the body. */
  open(request: HttpRequest, options: RequestOptions): Promise<TransportHead & { body: FetchStreamBody }> {
    return this.#start(request, options, "stream");
  }

  close(): void {
    // `fetch` owns its connections; in-flight calls end through their cancellation.
  }

  async #start(request: HttpRequest, options: RequestOptions, kind: "answer" | "stream"): Promise<TransportHead & { body: FetchStreamBody }> {
    const { cancel, timeoutMs } = options;
    if (cancel.cancelled) throw abortError(request, cancel.reason);
    const controller = new AbortController();
    let failure: Error | undefined;
    let headersArrived = false;
    const interrupt = (error: Error): void => {
      failure ??= error;
      controller.abort(error);
    };
    const unsubscribe = cancel.onCancel((reason) => interrupt(abortError(request, reason)));
    const timer = setTimeout(() => interrupt(timeoutError(request, timeoutMs, headersArrived ? "answer" : "headers")), timeoutMs);
    const release = (): void => {
      clearTimeout(timer);
      unsubscribe();
    };
    let response: Response;
    try {
      response = await this.#fetch(this.#base + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: controller.signal,
        redirect: "manual",
      });
    } catch (error) {
      release();
      throw failure ?? (error instanceof NoukaiError ? error : connectionError(request, error, true));
    }
    headersArrived = true;
    // A whole answer keeps its timer to the last byte; a stream's bounds each silence from here.
    if (kind === "stream") clearTimeout(timer);
    const headers: Record<string, string> = {};
    // A field named like an Object member must not read or replace that member (as in ./raw-headers.ts).
    response.headers.forEach((value, name) => {
      if (name !== "__proto__") headers[name] = value;
    });
    // A browser hides manual redirects as status 0; report them as the redirect they are.
    const status = response.type === "opaqueredirect" ? 302 : response.status;
    const body = new FetchStreamBody(response, request, interrupt, () => failure, release);
    return { status, headers, body };
  }
}

class FetchStreamBody implements TransportBody {
  readonly kind = "body" as const;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #request: HttpRequest;
  readonly #interrupt: (error: Error) => void;
  readonly #failure: () => Error | undefined;
  readonly #release: () => void;
  #done = false;

  constructor(
    response: Response,
    request: HttpRequest,
    interrupt: (error: Error) => void,
    failure: () => Error | undefined,
    release: () => void,
  ) {
    this.#reader = response.body?.getReader();
    this.#request = request;
    this.#interrupt = interrupt;
    this.#failure = failure;
    this.#release = release;
  }

  /** The next chunk; `timeoutMs` bounds the silence before it (undefined: the exchange's own timer does). */
  async read(timeoutMs: number | undefined): Promise<Uint8Array | null> {
    if (this.#done || this.#reader === undefined) return this.#finish();
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.#interrupt(timeoutError(this.#request, timeoutMs, "body")), timeoutMs);
    try {
      const { value, done } = await this.#reader.read();
      if (done) return this.#finish();
      return value;
    } catch (error) {
      this.#release();
      this.#done = true;
      throw this.#failure() ?? connectionError(this.#request, error, false);
    } finally {
      clearTimeout(timer);
    }
  }

  readText(maxBytes: number, timeoutMs: number | undefined): Promise<string> {
    return readBoundedText((ms) => this.read(ms), () => this.discard(), maxBytes, timeoutMs);
  }

  discard(): void {
    if (!this.#done) void this.#reader?.cancel().catch(() => undefined);
    this.#finish();
  }

  #finish(): null {
    this.#done = true;
    this.#release();
    return null;
  }
}
