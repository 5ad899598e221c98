import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Exchanges } from "./exchanges.js";

/**
 * At most `max` connections across a listener's servers. Past it, the
 * oldest idle connection (no request in flight: waiting for its first
 * request, or kept alive after an answer) makes room for the new one, as a
 * server may close an idle connection at any time; when every connection has
 * a request in flight, the new one is refused. So idle or slow-starting
 * connections cannot lock others out, and each connection's memory is bounded.
 */
export function capConnections(servers: readonly Server[], max: number, exchanges: Pick<Exchanges, "isBusy" | "socketClosed">): void {
  // A Set iterates in insertion order: oldest first.
  const sockets = new Set<Socket>();
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      exchanges.socketClosed(socket);
    });
    if (sockets.size <= max) return;
    for (const candidate of sockets) {
      if (candidate !== socket && !exchanges.isBusy(candidate)) {
        candidate.destroy();
        return;
      }
    }
    socket.destroy();
  };
  for (const server of servers) server.on("connection", onConnection);
}
