import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BindableServerApp } from "../app/create-app.js";
import { nodeRequestHandler } from "./binding.js";

export interface ListenOptions {
  /** 0 picks a free port (default 8080). */
  port?: number;
  /** Default 127.0.0.1: the server is for this machine unless told otherwise. */
  host?: string;
}

export interface ListeningServer {
  server: Server;
  port: number;
  host: string;
  /** `http://HOST:PORT/api/v1` */
  baseUrl: string;
  /** Closes the app, every connection and the listener. Idempotent. */
  close(): Promise<void>;
}

/** Serves an app over `node:http` in this thread. */
export async function listen(app: BindableServerApp, options: ListenOptions = {}): Promise<ListeningServer> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer({ keepAliveTimeout: 5_000 }, nodeRequestHandler(app));
  // Never let a slow client hold a socket forever.
  server.headersTimeout = 30_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    host,
    baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}/api/v1`,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await app.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
