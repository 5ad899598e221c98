import type { Op, StreamOp } from "../effects.js";
import { callJson } from "../exchange.js";
import { openStream } from "../exchange.js";
import { decodeEvent } from "../decode-event.js";
import { FlowExecutionError } from "../errors.js";
import { identifierSegment } from "../identifiers.js";
import { SseReader } from "../sse-reader.js";
import { streamDeadline } from "../stream-deadline.js";
import type { StepAttempts, StepTrace, Trace } from "../types.js";
import { type FlowContext, timeoutOf } from "./context.js";

function runPath(context: FlowContext, executionId: string): string {
  return `${context.flow.basePath}/runs/${identifierSegment(executionId, "executionId")}`;
}

/** `GET …/runs/{id}/trace`. */
export function* runTrace(context: FlowContext, executionId: string, options: Record<string, unknown>): Op<Trace> {
  const response = yield* callJson(context.config, {
    method: "GET",
    path: `${runPath(context, executionId)}/trace`,
    timeoutMs: timeoutOf(context, options),
    executionId,
  });
  return expectObject(response.data, "trace", executionId) as unknown as Trace;
}

/** `GET …/runs/{id}/steps/{step}/trace`, one attempt or all of them. */
export function* stepTrace(
  context: FlowContext,
  executionId: string,
  stepId: string,
  options: Record<string, unknown>,
): Op<StepTrace | StepAttempts> {
  const query: string[] = [];
  const attempt = options["attempt"] as "latest" | "all" | number | undefined;
  // "latest" is the server's default, so it is never sent.
  if (attempt !== undefined && attempt !== "latest") query.push(`attempt=${attempt}`);
  if (options["loopIndex"] !== undefined) query.push(`loop_index=${options["loopIndex"] as number}`);
  const response = yield* callJson(context.config, {
    method: "GET",
    path: `${runPath(context, executionId)}/steps/${identifierSegment(stepId, "stepId")}/trace`,
    query: query.length > 0 ? `?${query.join("&")}` : "",
    timeoutMs: timeoutOf(context, options),
    executionId,
  });
  return expectObject(response.data, "step trace", executionId) as unknown as StepTrace | StepAttempts;
}

/**
 * `GET …/runs/{id}/trace/stream`: every event of the run, then live ones,
 * until the server closes the stream. Not retried once an event arrived.
 */
export function* liveTrace(context: FlowContext, executionId: string, options: Record<string, unknown>): StreamOp {
  const timeoutMs = timeoutOf(context, options);
  const deadline = streamDeadline(options, context.config.now());
  const head = yield* openStream(context.config, {
    method: "GET",
    path: `${runPath(context, executionId)}/trace/stream`,
    timeoutMs,
    deadline,
    executionId,
  });
  const reader = new SseReader(head.body, timeoutMs, context.config, deadline);
  for (;;) {
    const raw = yield* reader.next();
    if (raw === null) return;
    const event = decodeEvent(raw, context.config.redact);
    // `flow_failed` is not part of the public event union; the run's `step_error` already says what failed.
    if (event !== undefined && event.type !== "flow_failed") yield { op: "emit", value: event };
  }
}

function expectObject(data: unknown, what: string, executionId: string): Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new FlowExecutionError(`The server's ${what} for run ${executionId} is not a JSON object.`, {
      code: "INVALID_RESPONSE",
      executionId,
      responseBody: data,
    });
  }
  return data as Record<string, unknown>;
}
