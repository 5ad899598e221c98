import type { Effect } from "../../core/effects.js";
import { cancelled } from "../../core/client-errors.js";
import type { Cancellation } from "../cancellation.js";
import type { Transport, TransportBody } from "../transport/transport.js";
import type { RunScope } from "./run-scope.js";

/**
 * Carries out one effect of the core, as a promise. Not an `async` function:
 * most effects are a transport's own promise, handed back as it is, which
 * spares every request the extra turns of wrapping it in another.
 */
export function perform(effect: Effect<unknown>, transport: Transport, scope: RunScope): Promise<unknown> {
  switch (effect.op) {
    case "fetch":
      return transport.fetch(effect.request, {
        timeoutMs: effect.timeoutMs,
        maxBodyBytes: effect.maxBodyBytes,
        maxErrorBytes: effect.maxErrorBytes,
        cancel: scope,
      });
    case "open":
      return transport.open(effect.request, { timeoutMs: effect.timeoutMs, cancel: scope }).then((head) => {
        scope.track(head.body);
        return head;
      });
    case "read":
      return (effect.body as TransportBody).read(effect.timeoutMs);
    case "readText": {
      const body = effect.body as TransportBody;
      scope.untrack(body);
      return body.readText(effect.maxBytes, effect.timeoutMs);
    }
    case "discard": {
      const body = effect.body as TransportBody;
      scope.untrack(body);
      body.discard();
      return Promise.resolve(undefined);
    }
    case "sleep":
      return sleep(effect.ms, scope);
    case "call":
      // A handler that throws, sync or async, becomes a rejection like any failed effect.
      return new Promise((resolve) => resolve(effect.fn(...(effect.args as never[]))));
    case "emit":
    case "emitEach":
      return Promise.reject(new Error("emit is handled by the stream runner"));
  }
}

function sleep(ms: number, cancel: Cancellation): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.cancelled) return reject(cancelled("The wait before a retry", cancel.reason));
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = cancel.onCancel((reason) => {
      clearTimeout(timer);
      reject(cancelled("The wait before a retry", reason));
    });
  });
}
