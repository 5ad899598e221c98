import type { Effect } from "../../core/effects.js";
import { APIUserAbortError } from "../../core/errors.js";
import type { Cancellation } from "../cancellation.js";
import type { Transport, TransportBody } from "../transport/transport.js";
import { CLIENT_CLOSED } from "../transport/transport-errors.js";
import type { RunScope } from "./run-scope.js";

/** Carries out one effect of the core with `await`. `emit` is handled by the stream runner. */
export async function perform(effect: Effect, transport: Transport, scope: RunScope): Promise<unknown> {
  switch (effect.op) {
    case "fetch":
      return transport.fetch(effect.request, {
        timeoutMs: effect.timeoutMs,
        maxErrorBytes: effect.maxErrorBytes,
        cancel: scope,
      });
    case "open": {
      const head = await transport.open(effect.request, { timeoutMs: effect.timeoutMs, cancel: scope });
      scope.track(head.body);
      return head;
    }
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
      return undefined;
    }
    case "sleep":
      return sleep(effect.ms, scope);
    case "call":
      return await effect.fn(...(effect.args as never[]));
    case "emit":
      throw new Error("emit is handled by the stream runner");
  }
}

function sleep(ms: number, cancel: Cancellation): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancel.cancelled) return reject(sleepAborted(cancel.reason));
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = cancel.onCancel((reason) => {
      clearTimeout(timer);
      reject(sleepAborted(reason));
    });
  });
}

function sleepAborted(reason: unknown): APIUserAbortError {
  return reason === CLIENT_CLOSED
    ? new APIUserAbortError("The call was cancelled because the client was closed.", { code: "CLIENT_CLOSED" })
    : new APIUserAbortError("The call was cancelled by its AbortSignal while waiting to retry.", {
        code: "ABORTED",
        cause: reason,
      });
}
