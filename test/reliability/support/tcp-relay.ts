import net from "node:net";

/**
 * The server's front door: a TCP relay on its own port to a running server.
 * `stop()` is the server going away as its callers see it (the port stops
 * listening and every open connection is dropped), while the server behind
 * keeps its records, so that duplicates can still be counted afterwards. A
 * new relay on another port is the server coming back elsewhere.
 */
export class TcpRelay {
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly target: { port: number; host: string },
  ) {
    server.on("connection", (caller) => this.relay(caller));
  }

  static async start(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpRelay> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return new TcpRelay(server, (server.address() as net.AddressInfo).port, { port: targetPort, host: targetHost });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v1`;
  }

  /** Stops listening and drops every connection at once. Idempotent. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (this.server.listening) await closed;
  }

  private relay(caller: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const socket of [caller, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("error", () => undefined);
      socket.on("close", () => {
        this.sockets.delete(socket);
        caller.destroy();
        upstream.destroy();
      });
    }
    caller.pipe(upstream);
    upstream.pipe(caller);
  }
}
