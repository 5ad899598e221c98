/**
 * What a transport listens to for "stop now": cancelled once, with a reason
 * (the caller's abort, or the client closing). It does what an AbortSignal
 * does for the transport, without the cost of an EventTarget on every call.
 */
export class Cancellation {
  #listeners: ((reason: unknown) => void)[] = [];
  #outcome: { reason: unknown } | undefined;

  get cancelled(): boolean {
    return this.#outcome !== undefined;
  }

  get reason(): unknown {
    return this.#outcome?.reason;
  }

  /** Cancels once; later calls are ignored. */
  cancel(reason: unknown): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = { reason };
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener(reason);
  }

  /** Calls `listener` when cancelled (check `cancelled` first); returns a function that stops listening. */
  onCancel(listener: (reason: unknown) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
  }
}
