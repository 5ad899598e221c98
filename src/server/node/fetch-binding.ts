import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ServerApp } from "../app/create-app.js";

/**
 * The general binding, for any `fetch(Request) → Response` app (the server's
 * own app uses the faster path in binding.ts): builds a Request from the Node
 * request and streams the Response back, aborting the request when the client
 * goes away.
 */
export function fetchRequestHandler(app: Pick<ServerApp, "fetch">): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const method = req.method ?? "GET";
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const hasBody = method !== "GET" && method !== "HEAD";
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
      method,
      headers,
      signal: controller.signal,
      ...(hasBody ? { body: Readable.toWeb(req), duplex: "half" } : {}),
    } as RequestInit);
    app.fetch(request).then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (!response.body) return void res.end();
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
        }
        res.end();
      },
      () => res.destroy(),
    );
  };
}
