import { Cancellation } from "../cancellation.js";
import type { TransportBody } from "../transport/transport.js";

/**
 * One call's cancellation and cleanup: cancelled when the call's own signal
 * fires or its client cancels everything, and the bodies the call opened,
 * discarded when it ends however it ends.
 */
export class RunScope extends Cancellation {
  /** Made at the first body: a whole-answer call opens none, and most calls are those. */
  #bodies: Set<TransportBody> | undefined;
  #unlink: (() => void) | undefined;

  readonly #registry: ScopeRegistry;

  constructor(registry: ScopeRegistry, callSignal: AbortSignal | undefined) {
    super();
    this.#registry = registry;
    if (callSignal !== undefined) {
      if (callSignal.aborted) {
        this.cancel(callSignal.reason);
      } else {
        const forward = (): void => this.cancel(callSignal.reason);
        callSignal.addEventListener("abort", forward, { once: true });
        this.#unlink = () => callSignal.removeEventListener("abort", forward);
      }
    }
  }

  track(body: TransportBody): void {
    (this.#bodies ??= new Set()).add(body);
  }

  untrack(body: TransportBody): void {
    this.#bodies?.delete(body);
  }

  /** Discards every body still open and lets go of the signals it listened to. */
  end(): void {
    if (this.#bodies !== undefined) {
      for (const body of this.#bodies) body.discard();
      this.#bodies.clear();
    }
    this.#unlink?.();
    this.#unlink = undefined;
    this.#registry.forget(this);
  }
}

/**
 * The calls a client has in flight. Cancelling the client (its signal fired,
 * or `close()`) aborts each of them once; a call started afterwards starts
 * aborted. Keeping a set, rather than making every call listen to the
 * client's signal, keeps the client's signal at one listener however many
 * calls run at once.
 */
export class ScopeRegistry {
  readonly #active = new Set<RunScope>();
  #cancelledWith: { reason: unknown } | undefined;

  constructor(clientSignal: AbortSignal | undefined) {
    if (clientSignal === undefined) return;
    if (clientSignal.aborted) this.cancelAll(clientSignal.reason);
    else clientSignal.addEventListener("abort", () => this.cancelAll(clientSignal.reason), { once: true });
  }

  open(callSignal: AbortSignal | undefined): RunScope {
    const scope = new RunScope(this, callSignal);
    if (this.#cancelledWith !== undefined) scope.cancel(this.#cancelledWith.reason);
    else this.#active.add(scope);
    return scope;
  }

  forget(scope: RunScope): void {
    this.#active.delete(scope);
  }

  /** Aborts every call in flight, and every later one, with `reason`; only the first reason counts. */
  cancelAll(reason: unknown): void {
    if (this.#cancelledWith !== undefined) return;
    this.#cancelledWith = { reason };
    for (const scope of this.#active) scope.cancel(reason);
    this.#active.clear();
  }
}
