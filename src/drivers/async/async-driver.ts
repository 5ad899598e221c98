import type { Effect, Op, StreamOp } from "../../core/effects.js";
import type { Transport } from "../transport/transport.js";
import { perform } from "./perform.js";
import { RunScope } from "./run-scope.js";

type Resume = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs core operations with `await`. One `RunScope` per call: its signal
 * cancels the call, and whatever the call left open is released when it ends.
 */
export class AsyncDriver {
  constructor(
    private readonly transport: Transport,
    private readonly clientSignals: () => readonly (AbortSignal | undefined)[],
  ) {}

  async value<T>(op: Op<T>, signal: AbortSignal | undefined): Promise<T> {
    const scope = new RunScope([...this.clientSignals(), signal]);
    let resume: Resume = { ok: true, value: undefined };
    try {
      for (;;) {
        const step = resume.ok ? op.next(resume.value) : op.throw(resume.error);
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
   * the operation and discards its open response at once.
   */
  stream<E>(op: StreamOp, signal: AbortSignal | undefined, present: (value: unknown) => E): AsyncIterableIterator<E> {
    // The scope links to outer signals, so it is made on the first `next()`, not before.
    let scope: RunScope | undefined;
    let resume: Resume = { ok: true, value: undefined };
    let finished = false;
    let queue: Promise<unknown> = Promise.resolve();
    const finish = (): void => {
      if (finished) return;
      finished = true;
      scope?.end();
    };
    const advance = async (): Promise<IteratorResult<E>> => {
      if (finished) return { done: true, value: undefined };
      scope ??= new RunScope([...this.clientSignals(), signal]);
      try {
        for (;;) {
          const step = resume.ok ? op.next(resume.value) : op.throw(resume.error);
          if (step.done) {
            finish();
            return { done: true, value: undefined };
          }
          if (step.value.op === "emit") {
            resume = { ok: true, value: undefined };
            return { done: false, value: present(step.value.value) };
          }
          resume = await this.attempt(step.value, scope);
        }
      } catch (error) {
        finish();
        throw error;
      }
    };
    // Calls are serialised: a second `next()` waits for the first.
    const serial = <R>(task: () => Promise<R>): Promise<R> => {
      const run = queue.then(task, task);
      queue = run.catch(() => undefined);
      return run;
    };
    const iterator: AsyncIterableIterator<E> = {
      next: () => serial(advance),
      return: (value?: unknown) =>
        serial(async () => {
          if (!finished) {
            try {
              op.return(undefined);
            } finally {
              finish();
            }
          }
          return { done: true, value: value as E };
        }),
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  private async attempt(effect: Effect, scope: RunScope): Promise<Resume> {
    try {
      return { ok: true, value: await perform(effect, this.transport, scope) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
