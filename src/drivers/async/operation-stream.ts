import { cancelled } from "../../core/client-errors.js";
import type { Effect, StreamOp } from "../../core/effects.js";
import { NOTHING, type Resume, resumeOp } from "../resume.js";
import type { RunScope, ScopeRegistry } from "./run-scope.js";

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
const NO_VALUES: readonly never[] = [];

/**
 * A stream operation as an async iterator. Each `next()` runs the operation
 * synchronously until it emits a value; when that value was already read from
 * the wire, the call returns an already-settled promise and no task is
 * scheduled, so a burst of events costs one promise each (an async generator,
 * or an `async` method, costs more per value). Values emitted together are
 * handed out one per `next()` without resuming the operation. Only an effect (a read, a
 * request, a tool handler) makes a call wait. Calls made while one is waiting
 * queue behind it, and `return()` (a `break`) closes the operation and
 * discards its open response. The call's scope is opened by the first
 * `next()`, not before.
 */
export class OperationStream<E, P> implements AsyncIterableIterator<P> {
  #scope: RunScope | undefined;
  #finished = false;
  /** Values the operation emitted together, handed out one per `next()` from `#handed` on. */
  #batch: readonly E[] = NO_VALUES;
  #handed = 0;
  /** The call still waiting on an effect, if any: the next call queues behind it. */
  #waiting: Promise<IteratorResult<P, undefined>> | undefined;

  readonly #op: StreamOp<E>;
  readonly #scopes: ScopeRegistry;
  readonly #signal: AbortSignal | undefined;
  readonly #present: (value: E) => P;
  readonly #perform: (effect: Effect<unknown>, scope: RunScope) => Promise<Resume>;

  constructor(
    op: StreamOp<E>,
    scopes: ScopeRegistry,
    signal: AbortSignal | undefined,
    present: (value: E) => P,
    perform: (effect: Effect<unknown>, scope: RunScope) => Promise<Resume>,
  ) {
    this.#op = op;
    this.#scopes = scopes;
    this.#signal = signal;
    this.#present = present;
    this.#perform = perform;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<P, undefined>> {
    if (this.#waiting === undefined) return this.#run(NOTHING);
    return this.#queue(() => this.#run(NOTHING));
  }

  return(): Promise<IteratorResult<P, undefined>> {
    const close = (): Promise<IteratorResult<P, undefined>> => {
      this.#finish();
      return Promise.resolve(DONE);
    };
    return this.#waiting === undefined ? close() : this.#queue(close);
  }

  /** Runs `call` once the waiting call has settled, however it settled. */
  #queue(call: () => Promise<IteratorResult<P, undefined>>): Promise<IteratorResult<P, undefined>> {
    const result = (this.#waiting as Promise<unknown>).then(call, call);
    this.#track(result);
    return result;
  }

  /**
   * Advances the operation with `resume` until it emits or ends (settled at
   * once), or asks for an effect (settled when the effect is done and the
   * operation has gone on from there).
   */
  #run(resume: Resume): Promise<IteratorResult<P, undefined>> {
    let effect: Effect<unknown>;
    try {
      if (this.#finished) return Promise.resolve(DONE);
      // A stop (the call's signal, or the client's close()) counts from the
      // next value asked for, even where more were already read: they are
      // dropped. After an effect, the operation gets the effect's own outcome
      // instead (a cancelled request's error names the request).
      if (resume === NOTHING && this.#scope?.cancelled === true) return this.#stop(this.#scope.reason);
      if (this.#handed < this.#batch.length) return this.#handOut();
      this.#scope ??= this.#scopes.open(this.#signal);
      const step = resumeOp(this.#op, resume);
      if (step.done) {
        this.#finish();
        return Promise.resolve(DONE);
      }
      if (step.value.op === "emit") return Promise.resolve({ done: false, value: this.#present(step.value.value) });
      if (step.value.op === "emitEach") {
        this.#batch = step.value.values;
        this.#handed = 0;
        return this.#handOut();
      }
      effect = step.value;
    } catch (error) {
      this.#finish();
      // Whatever the operation threw (a typed error, or a tool handler's own) is the caller's error.
      const failure = error as Error;
      return Promise.reject(failure);
    }
    const result = this.#perform(effect, this.#scope).then(
      (outcome) => this.#run(outcome),
      (error: unknown) => {
        this.#finish();
        throw error;
      },
    );
    this.#track(result);
    return result;
  }

  /** The next of the values emitted together; after the last, the batch is let go (its events are the consumer's now). */
  #handOut(): Promise<IteratorResult<P, undefined>> {
    const value = this.#batch[this.#handed++] as E;
    if (this.#handed === this.#batch.length) this.#batch = NO_VALUES;
    return Promise.resolve({ done: false, value: this.#present(value) });
  }

  #stop(reason: unknown): Promise<never> {
    this.#finish();
    return Promise.reject(cancelled("The event stream", reason));
  }

  /** Remembers `result` as the call to wait for, until it settles. */
  #track(result: Promise<IteratorResult<P, undefined>>): void {
    this.#waiting = result;
    const clear = (): void => {
      if (this.#waiting === result) this.#waiting = undefined;
    };
    result.then(clear, clear);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#batch = NO_VALUES;
    this.#op.return(undefined);
    this.#scope?.end();
  }
}
