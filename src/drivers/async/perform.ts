import type { Effect } from "../../core/effects.js";
import { APIUserAbortError } from "../../core/errors.js";
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
        signal: scope.signal,
      });
    case "open": {
      const head = await transport.open(effect.request, { timeoutMs: effect.timeoutMs, signal: scope.signal });
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
      return sleep(effect.ms, scope.signal);
    case "call":
      return await effect.fn(...(effect.args as never[]));
    case "emit":
      throw new Error("emit is handled by the stream runner");
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(sleepAborted(signal));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(sleepAborted(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function sleepAborted(signal: AbortSignal): APIUserAbortError {
  return signal.reason === CLIENT_CLOSED
    ? new APIUserAbortError("The call was cancelled because the client was closed.", { code: "CLIENT_CLOSED" })
    : new APIUserAbortError("The call was cancelled by its AbortSignal while waiting to retry.", {
        code: "ABORTED",
        cause: signal.reason,
      });
}
