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
  readonly #baseUrl: URL;
  readonly #maxConnections: number;
  /**
   * The whole answers sent before undici has loaded, on `maxConnections`
   * connections of their own: made at the first, closed once undici has
   * loaded and none is in flight, so that the two never hold more than a
   * moment's worth of connections together.
   */
  #early: { calls: NodeHttpStreams; inFlight: number } | undefined;
  readonly #streams: NodeHttpStreams;

  /** `maxConnections` bounds whole answers; each stream holds a connection of its own, so that no stream waits behind another. */
  constructor(baseUrl: URL, maxConnections: number) {
    this.#baseUrl = baseUrl;
    this.#maxConnections = maxConnections;
    this.#calls = new UndiciCalls(baseUrl, maxConnections);
    this.#streams = new NodeHttpStreams(baseUrl);
  }

  fetch(request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
    if (this.#calls.ready()) return this.#calls.fetch(request, options);
    const early = (this.#early ??= { calls: new NodeHttpStreams(this.#baseUrl, this.#maxConnections), inFlight: 0 });
    early.inFlight++;
    const answer = fetchOverNodeHttp(early.calls, request, options);
    const settled = () => {
      early.inFlight--;
      // Loading starts on the next turn: it took the thread for 20 to 50 ms, and would hold this answer up by as much.
      setImmediate(() => void this.#calls.warm().then(() => this.#retireEarly()));
    };
    answer.then(settled, settled);
    return answer;
  }

  open(request: HttpRequest, options: RequestOptions): Promise<TransportHead> {
    return this.#streams.open(request, options);
  }

  close(): void {
    this.#calls.close();
    this.#early?.calls.close();
    this.#streams.close();
  }

  /** Closes the connections of the first calls once undici carries whole answers and none of them is in flight. */
  #retireEarly(): void {
    if (this.#early === undefined || this.#early.inFlight > 0 || !this.#calls.ready()) return;
    this.#early.calls.close();
    this.#early = undefined;
  }
}
