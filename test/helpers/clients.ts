import { AsyncNoukai, type ClientOptions, Noukai } from "noukai";

/**
 * The contract suite runs against every client. Tests are written with
 * `await` and `for await`, which work on the blocking client's plain values
 * and iterables too, so one test body checks both; the few behaviours that
 * differ by nature (concurrency while blocked, async callbacks) branch on
 * `kind`.
 */
export type ClientKind = "AsyncNoukai" | "Noukai";

export const CLIENT_KINDS: ClientKind[] = ["AsyncNoukai", "Noukai"];

export function makeClient(kind: ClientKind, options: ClientOptions): AsyncNoukai {
  switch (kind) {
    case "AsyncNoukai":
      return new AsyncNoukai(options);
    case "Noukai":
      // Same methods; plain values and iterables instead of promises and async ones, which `await` accepts.
      return new Noukai(options) as unknown as AsyncNoukai;
  }
}

export const TEST_KEY = "nk_test_contract_key";

/**
 * A call's outcome as a promise, whichever client made it: the blocking
 * client throws where the async one rejects.
 */
export function settle<T>(call: () => T | Promise<T>): Promise<T> {
  return (async () => call())();
}

/** Every item of a stream, from either client's iterable. */
export async function collect<T>(iterable: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
