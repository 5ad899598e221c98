import { NodeHttpTransport } from "../drivers/transport/node-http.js";
import type { Transport } from "../drivers/transport/transport.js";

/**
 * The runtime-specific pieces, for Node and runtimes compatible with it. A
 * browser build swaps this module for one that uses `fetch` and has no
 * blocking client.
 */
export function defaultTransport(baseUrl: URL): Transport {
  return new NodeHttpTransport(baseUrl);
}
