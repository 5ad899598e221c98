import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * The HTTP exchanges in flight on a listener's servers, so that a shutdown
 * can let them finish before any connection is closed. The bindings mark an
 * exchange's start and end (no listener per response: this is on every
 * request's path). An observer (a live trace tailing a run) does no work of
 * its own: a shutdown does not wait for it, it ends it.
 *
 * What each connection has in flight is written on the socket itself (two
 * symbol-keyed fields) rather than in maps keyed by socket: it is read and
 * written on every request, and a field costs no hash lookup.
 */
const IN_FLIGHT = Symbol("noukai.exchangesInFlight");
const RECEIVING = Symbol("noukai.receivingBody");

/** A socket as the exchanges mark it: requests in flight on it, and whether one is still being received. */
interface MarkedSocket extends Socket {
  [IN_FLIGHT]?: number;
  [RECEIVING]?: boolean;
}

export class Exchanges {
  /** Open exchanges, with the connection each came on. */
  readonly #open = new Map<ServerResponse, Socket | null>();
  /** Open exchanges that are not observers. */
  readonly #working = new Set<ServerResponse>();
  readonly #servers: Server[] = [];
  readonly #waiters = new Set<() => void>();
  #closing = false;

  /** True once a shutdown began: new requests are refused, answers close their connection. */
  get closing(): boolean {
    return this.#closing;
  }

  watch(server: Server): void {
    this.#servers.push(server);
  }

  begin(res: ServerResponse): void {
    const socket = res.socket;
    this.#open.set(res, socket);
    this.#working.add(res);
    if (socket) (socket as MarkedSocket)[IN_FLIGHT] = ((socket as MarkedSocket)[IN_FLIGHT] ?? 0) + 1;
  }

  markObserver(res: ServerResponse): void {
    if (this.#working.delete(res)) this.#notify();
  }

  /** The answer has been handed over whole (or the exchange was dropped). Idempotent. */
  end(res: ServerResponse): void {
    const socket = this.#open.get(res);
    if (socket === undefined || !this.#open.delete(res)) return;
    this.#working.delete(res);
    if (socket) this.#leave(socket);
    if (this.#closing) this.#closeIdleSoon();
    this.#notify();
  }

  /** A connection closed: whatever was in flight on it is over. */
  socketClosed(socket: Socket): void {
    const marked = socket as MarkedSocket;
    marked[RECEIVING] = false;
    if (!this.isBusy(socket)) return;
    for (const [res, on] of [...this.#open]) if (on === socket) this.end(res);
    marked[IN_FLIGHT] = 0;
  }

  /** Whether a request is in flight on `socket` (else it is idle: between requests, or before its first). */
  isBusy(socket: Socket): boolean {
    return ((socket as MarkedSocket)[IN_FLIGHT] ?? 0) > 0;
  }

  /** The request on `socket` is still being received (its body is not whole yet): nothing has been done for it. */
  receiving(socket: Socket | null, receiving: boolean): void {
    if (socket) (socket as MarkedSocket)[RECEIVING] = receiving;
  }

  isReceiving(socket: Socket): boolean {
    return (socket as MarkedSocket)[RECEIVING] === true;
  }

  beginClosing(): void {
    this.#closing = true;
    this.#closeIdle();
  }

  /** Resolves once no exchange (but observers, unless `observers`) is open, or after `ms`. */
  settled(ms: number, options: { observers: boolean }): Promise<void> {
    const done = () => (options.observers ? this.#open.size : this.#working.size) === 0;
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, ms);
      this.#waiters.add(check);
    });
  }

  /** Resolves once every connection has closed (idle ones are closed as they become idle), or after `ms`. */
  async drained(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      this.#closeIdle();
      const counts = await Promise.all(this.#servers.map((server) => new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count ?? 0)))));
      if (counts.every((count) => count === 0) || Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  #leave(socket: Socket): void {
    const marked = socket as MarkedSocket;
    marked[IN_FLIGHT] = Math.max(0, (marked[IN_FLIGHT] ?? 1) - 1);
  }

  #notify(): void {
    for (const check of [...this.#waiters]) check();
  }

  // An answer handed over is written in the next turns; its connection is idle only then.
  #closeIdleSoon(): void {
    setImmediate(() => this.#closeIdle());
  }

  #closeIdle(): void {
    for (const server of this.#servers) server.closeIdleConnections();
  }
}
