import { AsyncResource } from "node:async_hooks";
import type { EventEmitter } from "node:events";

/**
 * Makes every listener of `emitter` run in the async context current now
 * (the request's scope), whatever context emits the event later. A route
 * that reads its body with `req.on("data" | "end")` (busboy, multer,
 * formidable, a hand-written parser) is called back from the socket's
 * reads, which carry the context of the connection, not of the request:
 * its calls would otherwise find no scope once the body arrives after the
 * headers. Once the scope has ended, the context it leaves holds no scope.
 */
export function emitInCurrentContext(emitter: EventEmitter): void {
  const context = new AsyncResource("noukai.scope");
  const emit = emitter.emit.bind(emitter);
  emitter.emit = (...args: Parameters<EventEmitter["emit"]>) => context.runInAsyncScope(emit, undefined, ...args);
}
