import type { Effect, Op, StreamOp } from "../../core/effects.js";
import type { Resume } from "../resume.js";
import type { Transport } from "../transport/transport.js";
import { OperationStream } from "./operation-stream.js";
import { perform } from "./perform.js";
import type { RunScope, ScopeRegistry } from "./run-scope.js";

/**
 * Runs core operations with `await`. One `RunScope` per call: its signal
 * cancels the call, and whatever the call left open is released when it ends.
 * The scope of a stream is opened by its first `next()`, not before.
 */
export class AsyncDriver {
  readonly #transport: Transport;
  readonly #scopes: ScopeRegistry;

  constructor(transport: Transport, scopes: ScopeRegistry) {
    this.#transport = transport;
    this.#scopes = scopes;
  }

  /**
   * Awaits each effect's own promise, and throws its failure into the
   * operation, rather than settling it into an outcome first: one promise and
   * one object fewer per effect. A failure to start the effect is thrown in
   * the same way. The result goes through `then` here, inside the call's one
   * async frame, not in a second async wrapper awaiting this one: a promise
   * and a turn of the microtask queue fewer per call.
   */
  async value<T, R>(op: Op<T>, signal: AbortSignal | undefined, then: (value: T) => R): Promise<R> {
    const scope = this.#scopes.open(signal);
    try {
      let step = op.next();
      while (!step.done) {
        let value: unknown;
        try {
          value = await perform(step.value, this.#transport, scope);
        } catch (error) {
          step = op.throw(error);
          continue;
        }
        step = op.next(value);
      }
      return then(step.value);
    } finally {
      scope.end();
    }
  }

  /** A stream as an async iterator (see `OperationStream`). */
  stream<E, P>(op: StreamOp<E>, signal: AbortSignal | undefined, present: (value: E) => P): AsyncIterableIterator<P> {
    return new OperationStream(op, this.#scopes, signal, present, (effect, scope) => this.#attempt(effect, scope));
  }

  /**
   * Carries out an effect and settles with its outcome, never rejecting. Not
   * `async`: the transport's own promise is handed on with one `then`, which
   * spares every request the extra turns of an async wrapper.
   */
  #attempt(effect: Effect<unknown>, scope: RunScope): Promise<Resume> {
    try {
      return perform(effect, this.#transport, scope).then(succeeded, failed);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  }
}

const succeeded = (value: unknown): Resume => ({ ok: true, value });
const failed = (error: unknown): Resume => ({ ok: false, error });
