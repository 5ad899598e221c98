import type { CoreConfig } from "../../core/config.js";
import { clientRegistry } from "../runtime/node.js";

/** What the layers built around the clients (scopes) may read of a client they are handed. */
export type ClientFactsForScopes = Pick<CoreConfig, "onLog">;

/** Where each client is registered, by the client, for scopes to recognise it and read its facts. */
export interface ClientRegistry {
  set(client: object, config: CoreConfig): void;
  get(client: object): ClientFactsForScopes | undefined;
}

/**
 * Each client, registered when made. Kept here, keyed by the client, rather
 * than on the client: nothing of it is reachable from the client object
 * itself. On Node, one registry for both builds of the package (the runtime
 * module says why).
 */
export const clientConfigs: ClientRegistry = clientRegistry;
