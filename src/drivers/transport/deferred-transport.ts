import { APIConnectionError } from "../../core/errors.js";
import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import type { FetchOptions, RequestOptions, Transport, TransportHead } from "./transport.js";

/**
 * A transport that is ready only after something asynchronous (importing a
 * `fetchModule`): calls made before then wait for it, and a failure to get
 * ready fails each call with `TRANSPORT_UNAVAILABLE`, naming why.
 */
export class DeferredTransport implements Transport {
  readonly #ready: Promise<Transport>;
  #transport: Transport | undefined;
  #closed = false;

  constructor(load: () => Promise<Transport>, what: string) {
    this.#ready = load().then(
      (transport) => {
        if (this.#closed) transport.close();
        this.#transport = transport;
        return transport;
      },
      (error: unknown) => {
        throw new APIConnectionError(`${what} could not be loaded: ${error instanceof Error ? error.message : String(error)}`, {
          code: "TRANSPORT_UNAVAILABLE",
          cause: error,
        });
      },
    );
    // Each call reports the failure; the promise itself must not count as unhandled.
    this.#ready.catch(() => undefined);
  }

  fetch(request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
    return this.#transport !== undefined ? this.#transport.fetch(request, options) : this.#ready.then((transport) => transport.fetch(request, options));
  }

  open(request: HttpRequest, options: RequestOptions): Promise<TransportHead> {
    return this.#transport !== undefined ? this.#transport.open(request, options) : this.#ready.then((transport) => transport.open(request, options));
  }

  close(): void {
    this.#closed = true;
    this.#transport?.close();
  }
}
