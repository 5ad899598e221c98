import type { TransportBody } from "../transport/transport.js";

/**
 * One call's cancellation and cleanup: a signal that fires when the caller's
 * signal, the client's signal or `close()` fires, and the bodies the call
 * opened, discarded when it ends however it ends. Links to long-lived signals
 * are removed at the end, so a client-wide signal does not collect a listener
 * per call.
 */
export class RunScope {
  private readonly controller = new AbortController();
  private readonly unlink: (() => void)[] = [];
  private readonly bodies = new Set<TransportBody>();

  constructor(sources: readonly (AbortSignal | undefined)[]) {
    for (const source of sources) {
      if (source === undefined) continue;
      if (source.aborted) {
        this.controller.abort(source.reason);
        break;
      }
      const forward = (): void => this.controller.abort(source.reason);
      source.addEventListener("abort", forward, { once: true });
      this.unlink.push(() => source.removeEventListener("abort", forward));
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  track(body: TransportBody): void {
    this.bodies.add(body);
  }

  untrack(body: TransportBody): void {
    this.bodies.delete(body);
  }

  /** Discards every body still open and unlinks from the outer signals. */
  end(): void {
    for (const body of this.bodies) body.discard();
    this.bodies.clear();
    for (const unlink of this.unlink) unlink();
    this.unlink.length = 0;
  }
}
