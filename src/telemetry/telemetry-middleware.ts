import type { CallEnd, CallInfo, Middleware, ToolHandlerEnd } from "../core/middleware.js";
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

  // Each hook catches what telemetry throws (a tracer's, an exporter's or a
  // propagator's bug must not change the call), inline: these run per event.
  return {
    name: "telemetry",
    onCall(call) {
      let span: CallSpan;
      try {
        span = new CallSpan(telemetry, call, telemetry.api.context.active());
        if (stepsFor !== undefined) span.fetchesStepsFor(stepsFor);
      } catch {
        return undefined;
      } finally {
        stepsFor = undefined;
      }
      calls.set(call, span);
      return (end: CallEnd) => {
        try {
          const ended = span.end(end);
          if (ended !== undefined && telemetry.fetchSteps && RUN_ENDING.has(call.operation)) fetchSteps(call, ended);
        } catch {
          // Dropped, as above.
        }
      };
    },
    onRequest(request, call) {
      try {
        calls.get(call)?.request(request);
      } catch {
        // Dropped, as above.
      }
    },
    onResponse(response, _request, call) {
      try {
        calls.get(call)?.response(response);
      } catch {
        // Dropped, as above.
      }
    },
    onEvent(event, call) {
      try {
        calls.get(call)?.event(event);
      } catch {
        // Dropped, as above.
      }
    },
    onRetry(retry, call) {
      try {
        calls.get(call)?.retry(retry);
      } catch {
        // Dropped, as above.
      }
    },
    onToolHandler(toolCalls, call) {
      let end: ((outcome: ToolHandlerEnd) => void) | undefined;
      try {
        end = calls.get(call)?.tools(toolCalls);
      } catch {
        return undefined;
      }
      if (end === undefined) return undefined;
      const close = end;
      return (outcome) => {
        try {
          close(outcome);
        } catch {
          // Dropped, as above.
        }
      };
    },
  };
}

/** The calls whose end may be a run's end, and so have steps to fetch with `otelSteps` (streams have theirs live). */
const RUN_ENDING: ReadonlySet<CallInfo["operation"]> = new Set(["execute", "resume", "wait"]);

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
