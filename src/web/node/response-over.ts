import type { ServerResponse } from "node:http";

/**
 * How long a scope waits, after the caller went away, for the app to end a
 * response it is still working on. An app that gives up on a closed
 * connection without ending its response would otherwise hold its scope
 * for the life of the process.
 */
export const APP_END_AFTER_DISCONNECT_MS = 10 * 60 * 1000;

/**
 * Settles when a Node response is over for its scope: the connection has
 * closed AND the app has ended the response (`res.end()`, which Express's
 * `res.json`, Fastify's `reply.send` and a finished stream all call).
 * `close` alone is not enough: it also comes when the caller disconnects
 * while the handler still runs, and the handler's later calls belong to the
 * request all the same (in a replay, they must be answered from it, never
 * run live). Node emits `prefinish` at `end()` even on a closed socket.
 */
export function responseOver(res: ServerResponse): Promise<void> {
  const closed = new Promise<void>((resolve) => res.once("close", resolve));
  const ended = new Promise<void>((resolve) => {
    if (res.writableEnded) resolve();
    else res.once("prefinish", () => resolve());
  });
  return closed.then(() => {
    if (res.writableEnded) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, APP_END_AFTER_DISCONNECT_MS);
      timer.unref?.();
    });
    return Promise.race([ended, bound]).finally(() => clearTimeout(timer));
  });
}
