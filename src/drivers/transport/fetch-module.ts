/**
 * A `fetch` that lives in a module rather than in the caller's hands: the
 * blocking client's I/O thread cannot call a function of the caller's
 * thread, but it can import a module and use the `fetch` it exports (an
 * in-process server app, a recorded set of answers, a test double).
 */
export async function importFetch(moduleUrl: string): Promise<typeof globalThis.fetch> {
  const exported = (await import(moduleUrl)) as Record<string, unknown>;
  const candidate = exported["fetch"] ?? exported["default"];
  if (typeof candidate === "function") return candidate as typeof globalThis.fetch;
  if (typeof candidate === "object" && candidate !== null) {
    // A fetch-style app (the local server's, Hono's, …) takes one Request, not fetch's (input, init).
    const app = candidate as { fetch?: unknown };
    if (typeof app.fetch === "function") {
      const handle = app.fetch.bind(app) as (request: Request) => Promise<Response>;
      return (input, init) => handle(new Request(input, init));
    }
  }
  throw new TypeError(`the module ${moduleUrl} exports no fetch: export a function named fetch, a default function, or a default object with a fetch method.`);
}
