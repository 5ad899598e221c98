/**
 * `noukai/next`: Next.js App Router route handlers, which take a `Request`
 * (a `NextRequest`) and a context, and return a `Response`.
 *
 * ```ts
 * // app/api/triage/route.ts
 * export const POST = withNoukaiScope(async (request) => Response.json(await flow.execute({ message: await request.text() })), { client });
 * // app/api/weather/route.ts
 * export const POST = noukaiRelay({ client, flow: "examples/demo/weather", secret, authorize });
 * ```
 */
export { withNoukaiScope, noukaiRelay, RelayRefusal, RelayCode } from "./fetch.js";
export type { BrowserEvent, BrowserField, RelayInput, RelayOptions, RelayRateLimit, RelayRunFields, ScopeAdapterOptions } from "./fetch.js";
