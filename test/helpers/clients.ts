import { AsyncNoukai, type ClientOptions, Noukai } from "noukai";

/**
 * The contract suite runs against every client. Tests are written with
 * `await` and `for await`, which work on the blocking client's plain values
 * and iterables too, so one test body checks both; the few behaviours that
 * differ by nature (concurrency while blocked, async callbacks) branch on
 * `kind`. A client is typed as either one, so each call is checked against
 * both clients' types.
 */
export type ClientKind = "AsyncNoukai" | "Noukai";

export const CLIENT_KINDS: ClientKind[] = ["AsyncNoukai", "Noukai"];

export type AnyClient = AsyncNoukai | Noukai;

const open = new Set<AnyClient>();

export function makeClient(kind: ClientKind, options: ClientOptions): AnyClient {
  const client = kind === "AsyncNoukai" ? new AsyncNoukai(options) : new Noukai(options);
  open.add(client);
  return client;
}

/** Closes every client made since the last time (test/helpers/close-clients.ts runs it after each test). */
export async function closeAllClients(): Promise<void> {
  const clients = [...open];
  open.clear();
  // AsyncNoukai's close() is a promise, Noukai's returns at once.
  await Promise.all(clients.map(async (client) => client.close()));
}

export const TEST_KEY = "nk_test_contract_key";

/**
 * A call's outcome as a promise, whichever client made it: the blocking
 * client throws where the async one rejects.
 */
export async function settle<R>(call: () => R): Promise<Awaited<R>> {
  return await call();
}

/** Every item of a stream, from either client's iterable. */
export async function collect<T>(iterable: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
