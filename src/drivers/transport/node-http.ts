import http from "node:http";
import https from "node:https";
import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import { NoukaiError } from "../../core/errors.js";
import { NodeStreamBody } from "./node-stream-body.js";
import type { RequestOptions, Transport, TransportHead } from "./transport.js";
import { abortError, connectionError, timeoutError } from "./transport-errors.js";

/**
 * Keep-alive `node:http(s)`: on loopback it answers a round trip in well
 * under half the time `fetch` takes (see BENCHMARKS.md). `undici`'s request
 * API measured faster still, but versions 6.29.1 and 7.30.2 throw an uncaught
 * assertion (`assert(!this.paused)` in `Parser.finish`) when a server ends
 * the connection while a slow reader holds the parser paused: a stream read
 * with work between events could crash the caller's process. One agent per
 * client, so `close()` frees exactly this client's sockets. Idle sockets are
 * unreferenced by Node's agent, so an idle client never keeps a process alive.
 */
export class NodeHttpTransport implements Transport {
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly hostname: string;
  private readonly port: string;
  private readonly basePath: string;

  constructor(baseUrl: URL) {
    const secure = baseUrl.protocol === "https:";
    const agentOptions = { keepAlive: true, scheduling: "lifo" as const };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.request = secure ? https.request : http.request;
    // URL keeps IPv6 literals in brackets; the socket API wants them bare.
    this.hostname = baseUrl.hostname.replace(/^\[(.*)\]$/, "$1");
    this.port = baseUrl.port;
    this.basePath = baseUrl.pathname.replace(/\/+$/, "");
  }

  fetch(request: HttpRequest, options: RequestOptions & { maxErrorBytes: number }): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      this.send(request, options, reject, (res, timer, stop) => {
        const status = res.statusCode ?? 0;
        const limit = status >= 200 && status < 300 ? Infinity : options.maxErrorBytes;
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const finish = (error?: Error): void => {
          if (done) return;
          done = true;
          stop();
          if (error !== undefined) return reject(error);
          const text = Buffer.concat(chunks, Math.min(size, limit)).toString("utf8");
          resolve({ status, headers: flattenHeaders(res.headers), text });
        };
        res.on("data", (chunk: Buffer) => {
          timer.refresh();
          chunks.push(chunk);
          size += chunk.length;
          // An error body is kept to its first bytes; the rest is never read into memory.
          if (size >= limit) {
            finish();
            res.destroy();
          }
        });
        res.on("end", () => finish());
        res.on("error", (error) => finish(error instanceof NoukaiError ? error : connectionError(request, error, false)));
        res.on("close", () => {
          if (!done) finish(connectionError(request, undefined, false));
        });
      });
    });
  }

  open(request: HttpRequest, options: RequestOptions): Promise<TransportHead> {
    return new Promise((resolve, reject) => {
      this.send(request, options, reject, (res, _timer, stop) => {
        stop();
        const body = new NodeStreamBody(res, request, options.cancel);
        resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body });
      });
    });
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * Sends the request and calls `onResponse` when headers arrive, handing over
   * the timer (refreshed as the body flows) and `stop` (clears the timer and
   * the abort listener). Before the headers, a timeout, an abort or a broken
   * connection fails the request; after them, they destroy the response with
   * the typed error, for its reader to report. A request that met a stale
   * keep-alive socket is sent once more on a fresh one: it never reached the
   * server.
   */
  private send(
    request: HttpRequest,
    options: RequestOptions,
    fail: (error: Error) => void,
    onResponse: (res: http.IncomingMessage, timer: NodeJS.Timeout, stop: () => void) => void,
    freshSocket = false,
  ): void {
    const { cancel, timeoutMs } = options;
    if (cancel.cancelled) return fail(abortError(request, cancel.reason));
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
    const req = this.request({
      agent: this.agent,
      hostname: this.hostname,
      port: this.port,
      method: request.method,
      path: this.basePath + request.path,
      headers,
    });
    let response: http.IncomingMessage | undefined;
    let failed = false;
    const stop = (): void => {
      clearTimeout(timer);
      unsubscribe();
    };
    const interrupt = (error: Error): void => {
      if (response !== undefined) return void response.destroy(error);
      if (failed) return;
      failed = true;
      stop();
      req.destroy(error);
      fail(error);
    };
    const timer = setTimeout(
      () => interrupt(timeoutError(request, timeoutMs, response === undefined ? "headers" : "body")),
      timeoutMs,
    );
    const unsubscribe = cancel.onCancel((reason) => interrupt(abortError(request, reason)));
    req.on("error", (error: Error & { code?: string }) => {
      if (failed || response !== undefined) return;
      failed = true;
      stop();
      if (!freshSocket && req.reusedSocket && error.code === "ECONNRESET") {
        return this.send(request, options, fail, onResponse, true);
      }
      fail(connectionError(request, error, true));
    });
    req.on("response", (res) => {
      if (failed) return void res.destroy();
      response = res;
      onResponse(res, timer, stop);
    });
    req.end(request.body);
  }
}

/** Node's lower-cased headers; only `set-cookie` comes as an array, and is joined. */
function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const cookies = headers["set-cookie"];
  if (cookies === undefined) return headers as Record<string, string>;
  return { ...(headers as Record<string, string>), "set-cookie": cookies.join(", ") };
}
