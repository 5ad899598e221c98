import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import { fetchOverNodeHttp } from "./node-http-calls.js";
import { NodeHttpStreams } from "./node-http-streams.js";
import type { FetchOptions, RequestOptions, Transport, TransportHead } from "./transport.js";
import { UndiciCalls } from "./undici-calls.js";

/**
 * The transport on Node: each kind of exchange on the HTTP stack that serves
 * it best. Whole answers go through undici's dispatcher, the fastest round
 * trip measured here; event streams through `node:http`, which stays safe
 * whatever pace the caller reads at (see each for why). Each keeps its own
 * keep-alive connections, and `close()` ends both.
 *
 * undici takes 20 to 50 ms to load. The calls made before it has loaded go
 * through `node:http` under the same contract, so a short program's first
 * call does not wait for it, and neither does the blocking client's I/O
 * worker. Loading starts once such a call has its answer, so that it does
 * not hold that answer up either.
 */
export class NodeTransport implements Transport {
  readonly #calls: UndiciCalls;
  readonly #streams: NodeHttpStreams;

  constructor(baseUrl: URL) {
    this.#calls = new UndiciCalls(baseUrl);
    this.#streams = new NodeHttpStreams(baseUrl);
  }

  fetch(request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
    if (this.#calls.ready()) return this.#calls.fetch(request, options);
    const answer = fetchOverNodeHttp(this.#streams, request, options);
    const warm = () => setImmediate(() => this.#calls.warm());
    answer.then(warm, warm);
    return answer;
  }

  open(request: HttpRequest, options: RequestOptions): Promise<TransportHead> {
    return this.#streams.open(request, options);
  }

  close(): void {
    this.#calls.close();
    this.#streams.close();
  }
}
