import type { Op, StreamOp } from "../effects.js";
import { callJson, type JsonResponse, openStream } from "../exchange.js";
import { decodeEvent } from "../decode-event.js";
import { invalidResponse } from "../client-errors.js";
import { identifierSegment } from "../identifiers.js";
import { isJsonObject } from "../json-object.js";
import type { CallOptions, StepTraceOptions, StreamCallOptions } from "../options.js";
import type { CallHooks } from "../middleware.js";
import { asCall, callHooks, onEvent } from "../middleware-chain.js";
import { SseReader } from "../sse-reader.js";
import type { LiveTraceEvent } from "../stream-events.js";
import { streamDeadline } from "../stream-deadline.js";
import type { StepAttempts, StepTrace, Trace } from "../types.js";
import { type FlowContext, timeoutOf } from "./context.js";

function runPath(context: FlowContext, executionId: string): string {
  return `${context.flow.basePath}/runs/${identifierSegment(executionId, "executionId")}`;
}

/** `GET …/runs/{id}/trace`. */
export function* runTrace(context: FlowContext, executionId: string, options: CallOptions): Op<Trace> {
  const hooks = callHooks(context.config, "trace", context.flow);
  return yield* asCall(hooks, runTraceCall(context, executionId, options, hooks));
}

function* runTraceCall(context: FlowContext, executionId: string, options: CallOptions, hooks: CallHooks | undefined): Op<Trace> {
  const response = yield* callJson(context.config, {
    hooks,
    method: "GET",
    path: `${runPath(context, executionId)}/trace`,
    timeoutMs: timeoutOf(context, options),
    executionId,
    missing: "run",
  });
  return serverObject<Trace>(response, "trace", executionId);
}

/** `GET …/runs/{id}/steps/{step}/trace`, one attempt or all of them. */
export function* stepTrace(
  context: FlowContext,
  executionId: string,
  stepId: string,
  options: StepTraceOptions,
): Op<StepTrace | StepAttempts> {
  const hooks = callHooks(context.config, "stepTrace", context.flow);
  return yield* asCall(hooks, stepTraceCall(context, executionId, stepId, options, hooks));
}

function* stepTraceCall(
  context: FlowContext,
  executionId: string,
  stepId: string,
  options: StepTraceOptions,
  hooks: CallHooks | undefined,
): Op<StepTrace | StepAttempts> {
  const query: string[] = [];
  const { attempt, loopIndex } = options;
  // "latest" is the server's default, so it is never sent.
  if (attempt !== undefined && attempt !== "latest") query.push(`attempt=${attempt}`);
  if (loopIndex !== undefined) query.push(`loop_index=${loopIndex}`);
  const response = yield* callJson(context.config, {
    hooks,
    method: "GET",
    path: `${runPath(context, executionId)}/steps/${identifierSegment(stepId, "stepId")}/trace`,
    query: query.length > 0 ? `?${query.join("&")}` : "",
    timeoutMs: timeoutOf(context, options),
    executionId,
    missing: "step",
  });
  return serverObject<StepTrace | StepAttempts>(response, "step trace", executionId);
}

/**
 * `GET …/runs/{id}/trace/stream`: every event of the run, then live ones,
 * until the server closes the stream. Not retried once an event arrived.
 */
export function liveTrace(context: FlowContext, executionId: string, options: StreamCallOptions): StreamOp<LiveTraceEvent> {
  // Taken where the stream is made, not at its first read (./step-run.ts says why).
  const hooks = callHooks(context.config, "liveTrace", context.flow);
  return asCall(hooks, liveTraceCall(context, executionId, options, hooks));
}

function* liveTraceCall(context: FlowContext, executionId: string, options: StreamCallOptions, hooks: CallHooks | undefined): StreamOp<LiveTraceEvent> {
  const timeoutMs = timeoutOf(context, options);
  const deadline = streamDeadline(options, context.config.now());
  const head = yield* openStream(context.config, {
    hooks,
    method: "GET",
    path: `${runPath(context, executionId)}/trace/stream`,
    timeoutMs,
    deadline,
    executionId,
    missing: "run",
  });
  const reader = new SseReader(head.body, timeoutMs, context.config, deadline);
  for (;;) {
    const raw = yield* reader.next();
    if (raw === null) return;
    const event = decodeEvent(raw, context.config.redact);
    // `flow_failed` is not part of the public event union; the run's `step_error` already says what failed.
    if (event === undefined || event.type === "flow_failed") continue;
    onEvent(hooks, event);
    yield { op: "emit", value: event };
  }
}

/** The service's JSON object, taken as the type it documents once it proves to be an object. */
function serverObject<T extends object>(response: JsonResponse, what: string, executionId: string): T {
  const data: unknown = response.data;
  if (!isJsonObject(data)) throw invalidResponse(`the ${what} of run ${executionId}`, "it is not a JSON object", response, executionId);
  return data as T;
}
