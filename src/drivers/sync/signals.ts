/**
 * The slots of the Int32Array the blocking client and its I/O worker share.
 * The caller sleeps on ANSWERED with `Atomics.wait`; the worker sets it to 1
 * and wakes the caller each time it posts an answer, and once when it has
 * started (after setting STARTED), so that a caller waiting on a worker that
 * never starts can tell so within a bound of its own.
 */
export const ANSWERED = 0;
export const STARTED = 1;
export const SIGNAL_SLOTS = 2;
