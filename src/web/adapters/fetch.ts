/**
 * `noukai/fetch`: for any server whose handlers take a `Request` and return
 * a `Response` (Bun.serve, Deno.serve, Cloudflare Workers, Next.js route
 * handlers, …).
 *
 * ```ts
 * export default { fetch: withNoukaiScope(async (request) => Response.json(await flow.execute({ message: "hi" }))) };
 * const relay = noukaiRelay({ client, flow: "acme/support/triage", secret, authorize: (request) => isSignedIn(request) });
 * ```
 */
import { createRelayCore } from "../relay/server/relay-core.js";
import type { RelayOptions } from "../relay/server/options.js";
import { checkScopeAdapterOptions } from "../scope/adapter-options.js";
import type { ScopeAdapterOptions } from "../scope/request-scope.js";
import { respondInScope } from "../scope/respond-in-scope.js";
import { incomingOfRequest } from "./fetch-incoming.js";

/**
 * Runs each request in a capture or replay scope (`X-Noukai-Replay` in,
 * `X-Noukai-Session` out) until its response body has been read to the end.
 */
export function withNoukaiScope<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Response | Promise<Response>,
  given?: ScopeAdapterOptions,
): (request: Request, ...rest: A) => Promise<Response> {
  if (typeof handler !== "function") throw new TypeError("withNoukaiScope() takes the handler to wrap first.");
  const options = checkScopeAdapterOptions(given, "withNoukaiScope");
  return (request, ...rest) => respondInScope(request, options, () => handler(request, ...rest));
}

/** A relay as a `(Request) => Promise<Response>` handler. `rateLimit` needs a `key`: a bare Request names no client. */
export function noukaiRelay(options: RelayOptions<Request>): (request: Request) => Promise<Response> {
  const handle = createRelayCore(options, "noukaiRelay");
  return (request) => handle(incomingOfRequest(request, request));
}

export { RelayRefusal } from "../relay/server/refusal.js";
export { RelayCode } from "../relay/protocol.js";
export type { BrowserField, RelayInput, RelayOptions, RelayRateLimit, RelayRunFields } from "../relay/server/options.js";
export type { BrowserEvent } from "../relay/server/present-event.js";
export type { ScopeAdapterOptions } from "../scope/request-scope.js";
