import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import { NoukaiError } from "../../core/errors.js";
import type { RequestOptions, Transport, TransportBody, TransportHead } from "./transport.js";
import { readBoundedText } from "./read-text.js";
import { abortError, connectionError, timeoutError } from "./transport-errors.js";

/**
 * `fetch`, for runtimes without `node:http` (browsers, edge, Deno without
 * Node compatibility) and for callers who pass their own. Redirects are not
 * followed: a redirect could carry the key to another host.
 */
export class FetchTransport implements Transport {
  private readonly base: string;

  constructor(
    baseUrl: URL,
    private readonly fetchImpl: typeof globalThis.fetch,
  ) {
    this.base = baseUrl.href.replace(/\/+$/, "");
  }

  async fetch(request: HttpRequest, options: RequestOptions & { maxErrorBytes: number }): Promise<HttpResponse> {
    const head = await this.open(request, options);
    const ok = head.status >= 200 && head.status < 300;
    const text = await head.body.readText(ok ? Infinity : options.maxErrorBytes, options.timeoutMs);
    return { status: head.status, headers: head.headers, text };
  }

  async open(request: HttpRequest, options: RequestOptions): Promise<TransportHead> {
    const { cancel, timeoutMs } = options;
    if (cancel.cancelled) throw abortError(request, cancel.reason);
    const controller = new AbortController();
    let failure: Error | undefined;
    const interrupt = (error: Error): void => {
      failure ??= error;
      controller.abort(error);
    };
    const unsubscribe = cancel.onCancel((reason) => interrupt(abortError(request, reason)));
    const timer = setTimeout(() => interrupt(timeoutError(request, timeoutMs, "headers")), timeoutMs);
    const release = (): void => {
      clearTimeout(timer);
      unsubscribe();
    };
    let response: Response;
    try {
      response = await this.fetchImpl(this.base + request.path, {
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
    clearTimeout(timer);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    // A browser hides manual redirects as status 0; report them as the redirect they are.
    const status = response.type === "opaqueredirect" ? 302 : response.status;
    const body = new FetchStreamBody(response, request, interrupt, () => failure, release);
    return { status, headers, body };
  }

  close(): void {
    // `fetch` owns its connections; in-flight calls end through their cancellation.
  }
}

class FetchStreamBody implements TransportBody {
  readonly kind = "body" as const;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private done = false;

  constructor(
    response: Response,
    private readonly request: HttpRequest,
    private readonly interrupt: (error: Error) => void,
    private readonly failure: () => Error | undefined,
    private readonly release: () => void,
  ) {
    this.reader = response.body?.getReader();
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    if (this.done || this.reader === undefined) return this.finish();
    const timer = setTimeout(() => this.interrupt(timeoutError(this.request, timeoutMs, "body")), timeoutMs);
    try {
      const { value, done } = await this.reader.read();
      if (done) return this.finish();
      return value;
    } catch (error) {
      this.release();
      this.done = true;
      throw this.failure() ?? connectionError(this.request, error, false);
    } finally {
      clearTimeout(timer);
    }
  }

  readText(maxBytes: number, timeoutMs: number): Promise<string> {
    return readBoundedText((ms) => this.read(ms), () => this.discard(), maxBytes, timeoutMs);
  }

  discard(): void {
    if (!this.done) void this.reader?.cancel().catch(() => undefined);
    this.finish();
  }

  private finish(): null {
    this.done = true;
    this.release();
    return null;
  }
}
