import { ValueError } from "../../core/errors.js";
import type { WorkerBridge } from "../../drivers/sync/worker-bridge.js";
import { FetchTransport } from "../../drivers/transport/fetch-transport.js";
import type { Transport } from "../../drivers/transport/transport.js";

/**
 * The runtime-specific pieces for browsers and edge runtimes (the package's
 * `browser`, `worker`, `workerd` and `edge-light` builds): `fetch` for
 * transport, and no blocking client, since these runtimes cannot block a
 * thread on `Atomics.wait` while another does the I/O.
 */
export function defaultTransport(baseUrl: URL): Transport {
  return new FetchTransport(baseUrl, globalThis.fetch.bind(globalThis));
}

/**
 * Not here: importing a module named at run time is what bundlers for
 * browsers and workers cannot follow (workerd refuses such a bundle). Pass
 * `fetch` itself instead.
 */
export function moduleTransport(): Transport {
  throw new ValueError("fetchModule is for Node (it lets the blocking client's I/O thread import a fetch); in this runtime, pass fetch instead.");
}

export function blockingBridge(): WorkerBridge {
  throw new TypeError(
    "The blocking Noukai client needs worker threads and Atomics.wait, which this runtime does not offer. Use AsyncNoukai.",
  );
}
