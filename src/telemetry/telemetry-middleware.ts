import type { CallEnd, CallInfo, Middleware } from "../core/middleware.js";
import type { OtelContext } from "../core/telemetry-types.js";
import { CallSpan } from "./call-span.js";
import type { Telemetry } from "./setup.js";

/**
 * Fetches a run's trace as a call of the same client (so it has its own
 * span); undefined when it will not (inside a capture or replay scope, whose
 * recording must hold only the caller's own calls). A promise with
 * `AsyncNoukai`, the trace itself with the blocking `Noukai`.
 */
export type StepTraceFetcher = (flow: CallInfo["flow"], executionId: string) => unknown;

/**
 * The client's telemetry as one middleware, first in its chain: a span per
 * call, live step spans from its events, tool spans around its handler, its
 * context on every request. Both clients run it the same way, on the
 * caller's thread. It never fails a call: what a tracer, an exporter or a
 * propagator throws is dropped, as a broken log hook's is.
 */
export function telemetryMiddleware(telemetry: Telemetry, fetchStepTrace: StepTraceFetcher | undefined): Middleware {
  const calls = new WeakMap<CallInfo, CallSpan>();
  // Set while this middleware fetches a run's trace for `otelSteps`: that call's step spans belong to the run's call.
  let stepsFor: OtelContext | undefined;

  const fetchSteps = (call: CallInfo, ended: { executionId: string; context: OtelContext }): void => {
    if (fetchStepTrace === undefined) return;
    stepsFor = ended.context;
    try {
      // The fetch's own span goes under the run's call too.
      const fetched = telemetry.api.context.with(ended.context, () => fetchStepTrace(call.flow, ended.executionId));
      if (isPromise(fetched)) fetched.then(undefined, () => undefined);
    } finally {
      stepsFor = undefined;
    }
  };

  return {
    name: "telemetry",
    onCall(call) {
      const span = quietly(() => {
        const made = new CallSpan(telemetry, call, telemetry.api.context.active());
        if (stepsFor !== undefined) made.fetchesStepsFor(stepsFor);
        stepsFor = undefined;
        return made;
      });
      if (span === undefined) return undefined;
      calls.set(call, span);
      return (end: CallEnd) => {
        const ended = quietly(() => span.end(end));
        if (ended !== undefined && telemetry.fetchSteps && RUN_ENDING.has(call.operation)) quietly(() => fetchSteps(call, ended));
      };
    },
    onRequest(request, call) {
      quietly(() => calls.get(call)?.request(request));
    },
    onResponse(response, _request, call) {
      quietly(() => calls.get(call)?.response(response));
    },
    onEvent(event, call) {
      quietly(() => calls.get(call)?.event(event));
    },
    onRetry(retry, call) {
      quietly(() => calls.get(call)?.retry(retry));
    },
    onToolHandler(toolCalls, call) {
      const end = quietly(() => calls.get(call)?.tools(toolCalls));
      return end === undefined ? undefined : (outcome) => quietly(() => end(outcome));
    },
  };
}

/** The calls whose end may be a run's end, and so have steps to fetch with `otelSteps` (streams have theirs live). */
const RUN_ENDING: ReadonlySet<CallInfo["operation"]> = new Set(["execute", "resume", "wait"]);

/** Telemetry is observability: a bug in a tracer or exporter must not change what the call does. */
function quietly<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch {
    return undefined;
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
