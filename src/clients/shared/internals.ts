import type { CoreConfig } from "../../core/config.js";

/**
 * What the layers built around the clients (scopes) may read of a client
 * they are handed: its resolved configuration. Kept here, keyed by the
 * client, rather than on the client: nothing of it is reachable from the
 * client object itself.
 */
export const clientConfigs = new WeakMap<object, CoreConfig>();
