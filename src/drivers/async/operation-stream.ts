import type { Effect, StreamOp } from "../../core/effects.js";
import { advance, NOTHING, type Resume } from "../resume.js";
import type { RunScope, ScopeRegistry } from "./run-scope.js";

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A stream operation as an async iterator. Each `next()` runs the operation
 * until it emits a value; when that value was already read from the wire, the
 * call finishes without waiting on anything, so a burst of events costs one
 * settled promise each (an async generator costs several ticks per `yield`).
 * Calls made while one is running wait their turn, and `return()` (a `break`)
 * closes the operation and discards its open response. The call's scope is
 * opened by the first `next()`, not before.
 */
export class OperationStream<E> implements AsyncIterableIterator<E> {
  private scope: RunScope | undefined;
  private finished = false;
  /** Calls started and not yet settled, and the last of them: the next call queues behind it. */
  private inFlight = 0;
  private last: Promise<IteratorResult<E, undefined>> | undefined;

  constructor(
    private readonly op: StreamOp,
    private readonly scopes: ScopeRegistry,
    private readonly signal: AbortSignal | undefined,
    private readonly present: (value: unknown) => E,
    private readonly perform: (effect: Effect, scope: RunScope) => Promise<Resume>,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<E, undefined>> {
    return this.inTurn(() => this.pull());
  }

  return(): Promise<IteratorResult<E, undefined>> {
    return this.inTurn(async () => {
      try {
        this.finish();
        return DONE;
      } finally {
        this.inFlight--;
      }
    });
  }

  /** Runs `call` now when nothing else is running, else after the last call settles. Each call counts itself out. */
  private inTurn(call: () => Promise<IteratorResult<E, undefined>>): Promise<IteratorResult<E, undefined>> {
    const previous = this.last;
    const waiting = this.inFlight > 0 && previous !== undefined;
    this.inFlight++;
    const result = waiting ? previous.then(call, call) : call();
    this.last = result;
    return result;
  }

  private async pull(): Promise<IteratorResult<E, undefined>> {
    try {
      if (this.finished) return DONE;
      const scope = (this.scope ??= this.scopes.open(this.signal));
      let resume = NOTHING;
      for (;;) {
        const step = advance(this.op, resume);
        if (step.done) {
          this.finish();
          return DONE;
        }
        if (step.value.op === "emit") return { done: false, value: this.present(step.value.value) };
        resume = await this.perform(step.value, scope);
      }
    } catch (error) {
      this.finish();
      throw error;
    } finally {
      this.inFlight--;
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.op.return(undefined);
    this.scope?.end();
  }
}
