import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAppRequest, serveOnHosts, type BindableServerApp, type ServerApp } from "../app/create-app.js";
import { hostNamesOf } from "./host-names.js";
import { nodeRequestHandler } from "./binding.js";
import { fetchRequestHandler } from "./fetch-binding.js";

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

/** What listen() serves: any fetch-style app that can be closed. */
export type FetchApp = Pick<ServerApp, "fetch" | "close">;

/** Serves an app over `node:http` in this thread (any fetch-style app; the server's own takes a faster path). */
export async function listen(app: FetchApp, options: ListenOptions = {}): Promise<ListeningServer> {
  const host = options.host ?? "127.0.0.1";
  const handler = handleAppRequest in app ? nodeRequestHandler(app as BindableServerApp) : fetchRequestHandler(app);
  const server = createServer({ keepAliveTimeout: 5_000 }, handler);
  // Never let a slow client hold a socket forever (requestTimeout keeps its 300 s default).
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (handleAppRequest in app) (app as BindableServerApp)[serveOnHosts](hostNamesOf(host));
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
