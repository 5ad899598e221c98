import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import { createRequire } from "node:module";

/**
 * `node:http` and `node:https`, loaded by the first transport that needs
 * them rather than with the package. Importing the package then costs no
 * HTTP stack: the blocking client's calling thread never uses one (its I/O
 * thread does), and a client of an `http:` server never needs TLS and
 * crypto, which `node:https` brings with it (about 8 ms of CPU here).
 */
const load = createRequire(import.meta.url);
let http: typeof HttpModule | undefined;
let https: typeof HttpsModule | undefined;

/** The HTTP module for a base URL's scheme. */
export function httpModuleFor(baseUrl: URL): typeof HttpModule | typeof HttpsModule {
  if (baseUrl.protocol === "https:") return (https ??= load("node:https") as typeof HttpsModule);
  return (http ??= load("node:http") as typeof HttpModule);
}
