import type { CoreConfig } from "../../core/config.js";
import { sharedByBuilds } from "../runtime/shared-by-builds.js";

/**
 * What the layers built around the clients (scopes) may read of a client
 * they are handed. Kept here, keyed by the client, rather than on the
 * client: nothing of it is reachable from the client object itself.
 */
export type ClientFactsForScopes = Pick<CoreConfig, "onLog">;

/**
 * One registry for both builds of the package (ES module and CommonJS), so
 * that a scope of one recognises a client made by the other. Being reachable
 * from `globalThis`, it holds only what scopes read, never the key.
 */
export const clientConfigs = sharedByBuilds("client-configs@1", () => new WeakMap<object, ClientFactsForScopes>());
