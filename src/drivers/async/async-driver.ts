import type { Effect, Op, StreamOp } from "../../core/effects.js";
import { advance, NOTHING, type Resume } from "../resume.js";
import type { Transport } from "../transport/transport.js";
import { perform } from "./perform.js";
import type { RunScope, ScopeRegistry } from "./run-scope.js";

/**
 * Runs core operations with `await`. One `RunScope` per call: its signal
 * cancels the call, and whatever the call left open is released when it ends.
 * The scope of a stream is opened by its first `next()`, not before.
 */
export class AsyncDriver {
  constructor(
    private readonly transport: Transport,
    private readonly scopes: ScopeRegistry,
  ) {}

  async value<T>(op: Op<T>, signal: AbortSignal | undefined): Promise<T> {
    const scope = this.scopes.open(signal);
    let resume = NOTHING;
    try {
      for (;;) {
        const step = advance(op, resume);
        if (step.done) return step.value;
        resume = await this.attempt(step.value, scope);
      }
    } finally {
      scope.end();
    }
  }

  /**
   * A stream as an async iterator: each `next()` runs the operation until it
   * emits a value. Leaving the loop early (`break`, `return`, a throw) closes
   * the operation and discards its open response at once. An async generator
   * gives both for free: calls are queued, and `return()` runs `finally`.
   * The call's scope is opened by the first `next()`, not before.
   */
  async *stream<E>(op: StreamOp, signal: AbortSignal | undefined, present: (value: unknown) => E): AsyncGenerator<E, void, undefined> {
    const scope = this.scopes.open(signal);
    let resume = NOTHING;
    try {
      for (;;) {
        const step = advance(op, resume);
        if (step.done) return;
        if (step.value.op === "emit") {
          yield present(step.value.value);
          resume = NOTHING;
        } else {
          resume = await this.attempt(step.value, scope);
        }
      }
    } finally {
      op.return(undefined);
      scope.end();
    }
  }

  private async attempt(effect: Effect, scope: RunScope): Promise<Resume> {
    try {
      return { ok: true, value: await perform(effect, this.transport, scope) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
