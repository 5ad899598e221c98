import type { Op, StreamOp } from "../effects.js";
import { discardBody, openStream } from "../exchange.js";
import type { CallHooks } from "../middleware.js";
import { asCall, callHooks, handledTools, onEvent } from "../middleware-chain.js";
import { decodeEvent, type FlowFailed } from "../decode-event.js";
import { toolCallLimit } from "../client-errors.js";
import { APIConnectionError, FlowExecutionError, ValueError } from "../errors.js";
import type { EventsOptions } from "../options.js";
import { type RawEvent, SseReader } from "../sse-reader.js";
import type { CoreEvent, ResumeArgs, StepCompleted, StepFailed, ToolCallsRequiredFields } from "../stream-events.js";
import { resumeMessages, toToolMessages } from "../tool-results.js";
import { streamDeadline } from "../stream-deadline.js";
import { streamVersionSegment } from "../versions.js";
import { type FlowContext, sessionOf, timeoutOf } from "./context.js";
import { DEFAULT_MAX_TOOL_ROUNDS } from "./execute.js";
import { keepOutput, newCursor, restoreOutputs, type StepCursor, stepBody } from "./step-cursor.js";

/** `steps()` yields completed steps only; `events()` yields everything. */
export type StepMode = "steps" | "events";

/** A tool pause as the core emits it: `resume` stages results for the next `/step` call. */
export type EmittedToolPause = ToolCallsRequiredFields & { resume(args: ResumeArgs): void };

/** What `events()` emits: every event, with tool pauses ready to be answered. `steps()` emits only `StepCompleted`. */
export type StepRunEvent = Exclude<CoreEvent, ToolCallsRequiredFields> | EmittedToolPause;

type Segment = "next" | "done";

/**
 * Drives a run through `POST …/step`: one stream per step (or one for all
 * remaining steps with `runRemaining`), threading the cursor from stream to
 * stream and answering tool pauses. Every stream must end with a pause or a
 * terminal event; one that just stops is an error, never a silent re-request.
 */
export function stepRun(context: FlowContext, options: EventsOptions, mode: "steps"): StreamOp<StepCompleted>;
export function stepRun(context: FlowContext, options: EventsOptions, mode: "events"): StreamOp<StepRunEvent>;
export function stepRun(context: FlowContext, options: EventsOptions, mode: StepMode): StreamOp<StepRunEvent> {
  // Checked now, not at the first `next()`: a draft is refused where the call is made.
  const path = `${context.flow.basePath}${streamVersionSegment(options.version)}/step`;
  // The call's hooks are taken where the stream is made, not at its first read: a scope open
  // then is the call's, even when the stream is read after the scope's code has returned.
  const hooks = callHooks(context.config, mode, context.flow, options.replayKey);
  return asCall(hooks, runSteps(context, options, mode, path, hooks));
}

/**
 * The run itself. Only when a middleware has an `onCall` does it run inside
 * `asCall`; otherwise nothing wraps it: every event passes through each
 * generator between this loop and the driver, at a cost per event.
 */
function* runSteps(context: FlowContext, options: EventsOptions, mode: StepMode, path: string, hooks: CallHooks | undefined): StreamOp<StepRunEvent> {
  const sessionId = sessionOf(context, options);
  const timeoutMs = timeoutOf(context, options);
  const deadline = streamDeadline(options, context.config.now());
  const cursor = newCursor();
  const tools = { rounds: 0, max: options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS };
  const emitAll = mode === "events";
  for (;;) {
    const head = yield* openStream(context.config, {
      method: "POST",
      path,
      body: stepBody(options, cursor),
      sessionId,
      idempotent: true,
      timeoutMs,
      deadline,
      executionId: cursor.executionId,
      hooks,
    });
    cursor.pendingTools = undefined;
    const reader = new SseReader(head.body, timeoutMs, context.config, deadline);
    // A failure names the response it arrived in: its id is what support asks for.
    const requestId = head.headers["x-request-id"];
    const firstStep = cursor.stepIndex;
    // The events are read in this loop, not in a generator of its own: every
    // event passes through it, and each `yield*` between it and the driver
    // costs one more resumption per event.
    let segment: Segment | undefined;
    // Without middleware to see each event as it is handed over, the events
    // decoded from what was already read go to the consumer together, once
    // the reader must wait for more (or the stream or the run ends): one
    // resumption of this loop per chunk rather than per event.
    const ready: StepRunEvent[] = [];
    try {
      do {
        // Events already parsed from the last chunk are taken without a read.
        // (Kept as two statements: the CommonJS build rewrites `??` into a
        // callback, where a `yield` is not allowed.)
        let raw: RawEvent | null | undefined = reader.take();
        if (raw === undefined) {
          yield* handOver(ready);
          raw = yield* reader.next();
        }
        if (raw === null) throw incomplete(cursor, requestId);
        const event = decodeEvent(raw, context.config.redact);
        if (event === undefined) continue;
        if (event.type === "tool_calls_required") {
          event.stepIndex = cursor.stepIndex;
          onEvent(hooks, event);
          yield* handOver(ready);
          yield* answerToolPause(event, cursor, options, mode, tools, hooks);
          segment = "next";
        } else if (event.type === "flow_failed") {
          throw flowFailed(event, cursor, requestId);
        } else {
          stampIndex(event, cursor);
          onEvent(hooks, event);
          segment = follow(event, raw, cursor, options, emitAll, requestId);
          // Asking again after a pause that moved nothing would ask forever.
          if (event.type === "step_paused" && cursor.stepIndex === firstStep) throw pausedInPlace(cursor, requestId);
          // `steps()` yields completed steps only; `events()` yields everything.
          if (emitAll || event.type === "step_completed") {
            if (hooks === undefined) ready.push(event);
            else yield { op: "emit", value: event };
          }
        }
      } while (segment === undefined);
    } catch (error) {
      // The events before the one that failed are the consumer's first.
      yield* handOver(ready);
      throw error;
    }
    yield* handOver(ready);
    yield* discardBody(head.body);
    if (segment === "done") return;
  }
}

/** Hands the consumer the events waiting in `ready`, if any, and empties it. */
function* handOver(ready: StepRunEvent[]): Op<void, StepRunEvent> {
  if (ready.length > 0) yield { op: "emitEach", values: ready.splice(0) };
}

/** Gives the events that name a step their flow-absolute index (servers send segment-local ones, or none). */
function stampIndex(event: Exclude<CoreEvent, ToolCallsRequiredFields>, cursor: StepCursor): void {
  if (event.type === "step_started" || event.type === "step_completed") event.stepIndex = cursor.stepIndex;
  else if (event.type === "step_paused") event.stepIndex = cursor.stepIndex - 1;
}

/**
 * Moves the cursor past one event and says whether its stream is over:
 * "next" when the run goes on in a new stream, "done" when it has ended,
 * undefined while the stream goes on. A failure of the run is thrown.
 */
function follow(
  event: Exclude<CoreEvent, ToolCallsRequiredFields>,
  raw: RawEvent,
  cursor: StepCursor,
  options: EventsOptions,
  emitAll: boolean,
  requestId: string | undefined,
): Segment | undefined {
  switch (event.type) {
    case "run_started":
      if (typeof event.executionId === "string" && event.executionId !== "") cursor.executionId = event.executionId;
      return undefined;
    case "step_started":
    case "step_input":
    case "step_output":
      return undefined;
    case "step_completed":
      keepOutput(cursor, event.stepId, event.output, raw.data.length, options.runRemaining === true);
      cursor.stepIndex += 1;
      return undefined;
    case "step_paused":
      return "next";
    case "step_error":
      if (!emitAll) throw stepFailed(event, cursor, requestId);
      return "done";
    case "flow_completed":
      return "done";
  }
}

function* answerToolPause(
  event: ToolCallsRequiredFields,
  cursor: StepCursor,
  options: EventsOptions,
  mode: StepMode,
  tools: { rounds: number; max: number },
  hooks: CallHooks | undefined,
): Op<void, StepRunEvent> {
  if (tools.rounds >= tools.max) throw toolCallLimit(tools.max, event.executionId);
  tools.rounds += 1;
  const handler = options.toolHandler;
  const stage = (results: unknown, source: string): void => {
    const messages = toToolMessages(results, event.toolCalls, source);
    restoreOutputs(cursor, event.accumulatedOutputs);
    cursor.pendingTools = {
      toolCallMessages: resumeMessages(event.toolCallMessages, messages),
      iterationsUsed: event.iterationsUsed,
    };
  };
  if (handler !== undefined) {
    if (mode === "events") {
      const shown: EmittedToolPause = { ...event, resume: () => {
        throw new ValueError("This tool pause is answered by the toolHandler passed to events(); do not call resume().");
      } };
      yield { op: "emit", value: shown };
    }
    const results = yield* handledTools(hooks, handler, event.toolCalls);
    stage(results, "toolHandler's result");
    return;
  }
  if (mode === "steps") {
    const names = event.toolCalls.map((call) => call.function?.name ?? call.id).join(", ");
    throw new FlowExecutionError(
      `The flow paused for tool calls (${names}), but steps() was called without a toolHandler: pass one, or use events() and event.resume({ toolResults }).`,
      { code: "TOOL_HANDLER_REQUIRED", executionId: event.executionId },
    );
  }
  let staged = false;
  const paused: EmittedToolPause = {
    ...event,
    resume: (args: ResumeArgs) => {
      if (staged) throw new ValueError("resume() was already called for this tool pause.");
      if (typeof args !== "object" || args === null) throw new TypeError("resume() takes { toolResults }.");
      stage(args.toolResults, "resume() toolResults");
      staged = true;
    },
  };
  yield { op: "emit", value: paused };
  if (!staged) {
    throw new ValueError(
      "The flow is paused for tool calls: call event.resume({ toolResults }) before the next event, or pass toolHandler to events().",
    );
  }
}

function pausedInPlace(cursor: StepCursor, requestId: string | undefined): FlowExecutionError {
  return new FlowExecutionError(
    `The server paused the run without completing a step (step ${cursor.stepIndex} is still next); the run was not asked again.`,
    { code: "INVALID_EVENT", executionId: cursor.executionId, requestId },
  );
}

function incomplete(cursor: StepCursor, requestId: string | undefined): APIConnectionError {
  return new APIConnectionError(
    "The event stream ended before the step finished: no step_paused, step_error or flow_completed arrived.",
    { code: "STREAM_INCOMPLETE", executionId: cursor.executionId, requestId },
  );
}

function stepFailed(event: StepFailed, cursor: StepCursor, requestId: string | undefined): FlowExecutionError {
  const reason = typeof event.error?.message === "string" ? event.error.message : "no reason given";
  return new FlowExecutionError(`Step "${event.name ?? event.stepId}" failed: ${reason}`, {
    code: typeof event.error?.code === "string" ? event.error.code : "STEP_FAILED",
    executionId: cursor.executionId,
    requestId,
    step: event,
  });
}

function flowFailed(event: FlowFailed, cursor: StepCursor, requestId: string | undefined): FlowExecutionError {
  const detail = event.error as { code?: unknown; message?: unknown } | undefined;
  const reason = typeof detail?.message === "string" ? detail.message : "no reason given";
  return new FlowExecutionError(`The flow failed: ${reason}`, {
    code: typeof detail?.code === "string" ? detail.code : "FLOW_FAILED",
    executionId: (typeof event.executionId === "string" ? event.executionId : undefined) ?? cursor.executionId,
    requestId,
  });
}

export type { CoreEvent };
