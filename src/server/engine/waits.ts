/**
 * Work that may have to wait: a generator that yields the promises it waits
 * on (the mock model's latency) and returns its result. Most steps have no
 * latency, so most work never yields: it then runs to the end at once, with
 * no promise and no turn of the microtask queue per step, which is most of
 * what a 10,000-step stream or a one-step execute would otherwise spend on it.
 */
export type Waiting<T> = Generator<Promise<void>, T, void>;

/**
 * Runs `work`: its result at once when it never waits, else a promise of it.
 * A wait that rejects is thrown into the work where it waited, as an `await`
 * would. The work may also end by handing over a promise of its result.
 */
export function runWaiting<T>(work: Waiting<T | Promise<T>>): T | Promise<T> {
  const next = (result: IteratorResult<Promise<void>, T | Promise<T>>): T | Promise<T> => {
    if (result.done) return result.value;
    return result.value.then(
      () => next(work.next()),
      (reason: unknown) => next(work.throw(reason)),
    );
  };
  return next(work.next());
}

/**
 * Work that waits on promises and reads what they resolve to (the generator
 * form of an async function): it yields each promise and is resumed with its
 * value, or has its rejection thrown in. Run by `runAwaiting`.
 */
export type Awaiting<T> = Generator<Promise<unknown>, T, unknown>;

/**
 * Runs `work`: its result at once when it never waits, else a promise of it.
 * An error thrown by the work before it first waits is thrown here; after, it rejects the promise.
 */
export function runAwaiting<T>(work: Awaiting<T>): T | Promise<T> {
  const next = (result: IteratorResult<Promise<unknown>, T>): T | Promise<T> => {
    if (result.done) return result.value;
    return result.value.then(
      (value) => next(work.next(value)),
      (reason: unknown) => next(work.throw(reason)),
    );
  };
  return next(work.next());
}
