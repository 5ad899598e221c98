import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";

/** A server listening on a loopback port, for one test file. */
export interface Served {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves a Node request listener (an Express app, a raw handler) on 127.0.0.1 and an ephemeral port. */
export async function serveNode(listener: RequestListener<typeof IncomingMessage, typeof ServerResponse>): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a `(Request) => Response` handler (a relay, a Next.js route, a Hono app's fetch) the way @hono/node-server does for real apps. */
export function serveFetch(handler: (request: Request) => Response | Promise<Response>): Promise<Served> {
  const listener = getRequestListener(handler);
  return serveNode((request, response) => void listener(request, response));
}
