import { ValueError } from "../../core/errors.js";
import type { Middleware } from "../../core/middleware.js";
import type { WorkerBridge } from "../../drivers/sync/worker-bridge.js";
import { FetchTransport } from "../../drivers/transport/fetch-transport.js";
import { checkFetchModule } from "../shared/fetch-module-option.web.js";
import type { Transport } from "../../drivers/transport/transport.js";
import type { CoreConfig } from "../../core/config.js";

/**
 * The runtime-specific pieces for browsers and edge runtimes (the package's
 * `browser`, `worker`, `workerd` and `edge-light` builds): `fetch` for
 * transport, and no blocking client, since these runtimes cannot block a
 * thread on `Atomics.wait` while another does the I/O.
 */
export function defaultTransport(baseUrl: URL, _maxConnections: number): Transport {
  // The runtime's fetch pools its own connections (a browser keeps a few per host).
  return new FetchTransport(baseUrl, globalThis.fetch.bind(globalThis));
}

/** Not here: the client's options refuse `fetchModule` (fetch-module-option.web.ts) before it could get this far. */
export function moduleTransport(): Transport {
  return checkFetchModule();
}

export function blockingBridge(): WorkerBridge {
  throw new TypeError(
    "The blocking Noukai client needs worker threads and Atomics.wait, which this runtime does not offer. Use AsyncNoukai.",
  );
}

/** The clients a scope would recognise (a browser loads one build only: nothing to share). */
export const clientRegistry = new WeakMap<object, CoreConfig>();

/** Scopes need AsyncLocalStorage, which browsers lack (see `ambientScopes` below). */
export const scopesAvailable = false;

export interface AmbientScope {
  readonly layer: Middleware;
  readonly outlivesItsCode: boolean;
}

/**
 * Browsers have no AsyncLocalStorage, so nothing could carry a scope across
 * the `await`s of the code inside it: scopes are refused here rather than
 * lost silently half-way (a client's own `middleware` works everywhere).
 */
export const ambientScopes = {
  run(): never {
    throw new ValueError("Scopes (replayScope, traceScope) need AsyncLocalStorage, which this runtime lacks; pass the layer to the client as middleware instead.");
  },
  current(): AmbientScope | undefined {
    return undefined;
  },
};

/** No files here: a cassette is given as an object. */
export const cassetteFiles = {
  exists(): boolean {
    throw new ValueError("A cassette file needs Node (or Bun, Deno); in this runtime, pass the cassette as an object.");
  },
  read(): string {
    throw new ValueError("A cassette file needs Node (or Bun, Deno); in this runtime, pass the cassette as an object.");
  },
  refuseSpecial(): void {
    throw new ValueError("A cassette file needs Node (or Bun, Deno); in this runtime, pass the cassette as an object.");
  },
  prepare(): void {
    throw new ValueError("A cassette file needs Node (or Bun, Deno); in this runtime, pass the cassette as an object.");
  },
  write(): void {
    throw new ValueError("A cassette file needs Node (or Bun, Deno); in this runtime, pass the cassette as an object.");
  },
};
