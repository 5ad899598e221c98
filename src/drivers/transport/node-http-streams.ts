import type { Agent, IncomingMessage } from "node:http";
import type { HttpRequest } from "../../core/effects.js";
import { httpModuleFor } from "./node-http-modules.js";
import { NodeStreamBody } from "./node-stream-body.js";
import { headersFromRaw } from "./raw-headers.js";
import { basePathOf, type RequestOptions, type TransportHead } from "./transport.js";
import { abortError, connectionError, timeoutError } from "./transport-errors.js";

/**
 * Event streams over keep-alive `node:http(s)`, read at the caller's pace.
 * Not undici: versions 6.29.1 and 7.30.2 throw an uncaught assertion
 * (`assert(!this.paused)` in `Parser.finish`) when a server ends the
 * connection while a slow reader holds the parser paused, so a stream read
 * with work between events could crash the caller's process. One agent per
 * client, so `close()` frees exactly this client's sockets. Idle sockets are
 * unreferenced by Node's agent, so an idle client never keeps a process alive.
 */
export class NodeHttpStreams {
  readonly #agent: Agent;
  readonly #request: ReturnType<typeof httpModuleFor>["request"];
  readonly #hostname: string;
  readonly #port: string;
  readonly #basePath: string;
  /** Answers being read away after their stream was left: their sockets are on their way back to the pool. */
  #releasing = 0;

  /** `maxSockets`: the most connections at once; the requests beyond wait in the agent's queue. */
  constructor(baseUrl: URL, maxSockets = Infinity) {
    const http = httpModuleFor(baseUrl);
    this.#agent = new http.Agent({ keepAlive: true, scheduling: "lifo", maxSockets });
    this.#request = http.request;
    // URL keeps IPv6 literals in brackets; the socket API wants them bare.
    this.#hostname = baseUrl.hostname.replace(/^\[(.*)\]$/, "$1");
    this.#port = baseUrl.port;
    this.#basePath = basePathOf(baseUrl);
  }

  /**
   * Sends the request and resolves when the headers arrive, with the body
   * left to be read. Until then, a timeout, an abort or a broken connection
   * fails it; a request that met a stale keep-alive socket is sent once more
   * on a fresh one, since it never reached the server.
   */
  open(request: HttpRequest, options: RequestOptions): Promise<TransportHead & { body: NodeStreamBody }> {
    // A stream left a moment ago gives its socket back a few ticks later; a
    // call made at once (the next stream of a loop) waits for it rather than
    // opening another connection.
    if (this.#releasing > 0) return new Promise<void>((resume) => setImmediate(resume)).then(() => this.#send(request, options, false));
    return this.#send(request, options, false);
  }

  close(): void {
    this.#agent.destroy();
  }

  /**
   * Reads away what is left of a complete answer. Node's agent takes the
   * socket back after the answer's end, a few ticks later, and all of them
   * have run by the next turn of the event loop.
   */
  #release(complete: IncomingMessage): void {
    complete.resume();
    this.#releasing++;
    setImmediate(() => this.#releasing--);
  }

  #send(request: HttpRequest, options: RequestOptions, freshSocket: boolean): Promise<TransportHead & { body: NodeStreamBody }> {
    const { cancel, timeoutMs } = options;
    if (cancel.cancelled) return Promise.reject(abortError(request, cancel.reason));
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
      const req = this.#request({
        agent: this.#agent,
        hostname: this.#hostname,
        port: this.#port,
        method: request.method,
        path: this.#basePath + request.path,
        headers,
      });
      let settled = false;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        return true;
      };
      const interrupt = (error: Error): void => {
        if (!settle()) return;
        req.destroy(error);
        reject(error);
      };
      const timer = setTimeout(() => interrupt(timeoutError(request, timeoutMs, "headers")), timeoutMs);
      const unsubscribe = cancel.onCancel((reason) => interrupt(abortError(request, reason)));
      req.on("error", (error: Error & { code?: string }) => {
        if (!settle()) return;
        if (!freshSocket && req.reusedSocket && error.code === "ECONNRESET") {
          return void this.#send(request, options, true).then(resolve, reject);
        }
        reject(connectionError(request, error, true));
      });
      req.on("response", (res) => {
        if (!settle()) return void res.destroy();
        const body = new NodeStreamBody(res, request, options.cancel, (complete) => this.#release(complete));
        resolve({ status: res.statusCode ?? 0, headers: headersFromRaw(res.rawHeaders), body });
      });
      req.end(request.body);
    });
  }
}
