import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** A node:http server with the timeouts every listener of the local server has. */
export function createHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer({ keepAliveTimeout: 5_000 }, handler);
  // Never let a slow client hold a socket forever: its head must arrive within 30 s, its whole request within 60 s.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  return server;
}

/** Listens; rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL…). */
export function bind(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
