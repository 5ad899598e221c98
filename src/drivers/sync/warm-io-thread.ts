import { type IoThread, startIoThread } from "./io-thread.js";

/**
 * Where a thread started ahead of any client waits for the first one. A
 * global rather than this module's own state: the code that starts it is
 * built into `noukai/blocking`'s own small file (so that it runs before the
 * rest of the package loads), apart from the package's chunks where the
 * bridge that takes it lives. A thread is taken only for the same worker
 * file, so another copy of the package in the process never takes it.
 */
const WAITING = Symbol.for("noukai.warm-io-thread");

type Holder = { [WAITING]?: IoThread };

/**
 * Starts the I/O thread now, for the first blocking client to take. Does
 * nothing where a blocking client cannot exist (its constructor says why),
 * and nothing if the start throws: that client then starts its own thread,
 * and fails as it would have without this.
 */
export function warmIoThread(workerUrl: URL): void {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics?.wait !== "function") return;
  const holder = globalThis as Holder;
  if (holder[WAITING] !== undefined) return;
  try {
    holder[WAITING] = startIoThread(workerUrl);
  } catch {
    // Left to the client, as said above.
  }
}

/** The thread started ahead for this worker file, if one is waiting; it waits for nobody else afterwards. */
export function takeWarmIoThread(workerUrl: URL): IoThread | undefined {
  const holder = globalThis as Holder;
  const thread = holder[WAITING];
  if (thread?.workerUrl !== workerUrl.href) return undefined;
  delete holder[WAITING];
  return thread;
}
