import { AsyncNoukai, type ClientOptions } from "noukai";

/**
 * The contract suite runs against every client. Tests are written with
 * `await` and `for await`, which work on the blocking client's plain values
 * and iterables too, so one test body checks both; the few behaviours that
 * differ by nature (concurrency while blocked, async callbacks) branch on
 * `kind`.
 */
export type ClientKind = "AsyncNoukai" | "Noukai";

export const CLIENT_KINDS: ClientKind[] = ["AsyncNoukai"];

export function makeClient(kind: ClientKind, options: ClientOptions): AsyncNoukai {
  switch (kind) {
    case "AsyncNoukai":
      return new AsyncNoukai(options);
    case "Noukai":
      throw new Error("the blocking client is not built yet");
  }
}

export const TEST_KEY = "nk_test_contract_key";
