import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Exchanges } from "./exchanges.js";

/**
 * At most `max` connections across a listener's servers. Past it, room is
 * made for the new one by closing, oldest first, a connection that is idle
 * (waiting for its first request, or kept alive after an answer: a server may
 * close those at any time), else one whose request is still arriving
 * (nothing has been done for it yet: a slow-loris body). When every
 * connection has a request being worked on, the new one is refused. So idle,
 * slow-starting or slow-sending connections cannot lock others out, and each
 * connection's memory is bounded.
 */
export function capConnections(servers: readonly Server[], max: number, exchanges: Pick<Exchanges, "isBusy" | "isReceiving" | "socketClosed">): void {
  // A Set iterates in insertion order: oldest first.
  const sockets = new Set<Socket>();
  const makeRoom = (newcomer: Socket): boolean => {
    for (const idle of [(socket: Socket) => !exchanges.isBusy(socket), (socket: Socket) => exchanges.isReceiving(socket)]) {
      for (const candidate of sockets) {
        if (candidate !== newcomer && idle(candidate)) {
          candidate.destroy();
          return true;
        }
      }
    }
    return false;
  };
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      exchanges.socketClosed(socket);
    });
    if (sockets.size > max && !makeRoom(socket)) socket.destroy();
  };
  for (const server of servers) server.on("connection", onConnection);
}
