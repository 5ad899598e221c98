import type { Server, ServerResponse } from "node:http";

/**
 * The HTTP exchanges in flight on a listener's servers, so that a shutdown
 * can let them finish before any connection is closed. An exchange starts
 * with its request and ends when its response has been written (or its
 * connection is gone). An observer (a live trace tailing a run) does no work
 * of its own: a shutdown does not wait for it, it ends it.
 */
export class Exchanges {
  readonly #open = new Set<ServerResponse>();
  readonly #observers = new WeakSet<ServerResponse>();
  readonly #servers: Server[] = [];
  #waiters = new Set<() => void>();
  #closing = false;

  /** True once a shutdown began: new requests are refused, answers close their connection. */
  get closing(): boolean {
    return this.#closing;
  }

  watch(server: Server): void {
    this.#servers.push(server);
  }

  start(res: ServerResponse): void {
    this.#open.add(res);
    res.once("close", () => this.#end(res));
  }

  markObserver(res: ServerResponse): void {
    this.#observers.add(res);
  }

  beginClosing(): void {
    this.#closing = true;
    this.#closeIdle();
  }

  /** Resolves once no exchange (but observers, unless `observers`) is open, or after `ms`. */
  settled(ms: number, options: { observers: boolean }): Promise<void> {
    const done = () => ![...this.#open].some((res) => options.observers || !this.#observers.has(res));
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        finish();
      };
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.#waiters.add(check);
    });
  }

  #end(res: ServerResponse): void {
    this.#open.delete(res);
    // A connection kept alive after its answer has nothing more to do once closing.
    if (this.#closing) this.#closeIdle();
    for (const check of [...this.#waiters]) check();
  }

  #closeIdle(): void {
    for (const server of this.#servers) server.closeIdleConnections();
  }
}
