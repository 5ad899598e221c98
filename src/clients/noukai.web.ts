/**
 * The blocking client where it cannot exist (browsers, edge runtimes): no
 * worker threads, or no `Atomics.wait` on the main thread. It refuses at
 * once, naming the client to use, and the browser build carries none of the
 * blocking machinery.
 */
export class Noukai {
  constructor() {
    throw new TypeError(
      "The blocking Noukai client needs worker threads and Atomics.wait, which this runtime does not offer. Use AsyncNoukai.",
    );
  }
}
