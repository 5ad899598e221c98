import { advanceExecution, type AdvanceOutcome } from "../../engine/advance-execution.js";
import type { ToolResult } from "../../engine/messages.js";
import type { Execution } from "../../engine/execution.js";
import { flowKey } from "../../flows/flow-key.js";
import type { ResolvedFlow } from "../../flows/registry.js";
import { SseWriter } from "../../sse/writer.js";
import { internalErrorMessage, reportUnexpected } from "../../unexpected.js";
import type { Caller } from "../auth.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import type { AppRequest, AppResponse } from "../http-types.js";
import type { ByteSink } from "../../byte-sink.js";
import { withIdempotency } from "../idempotency.js";
import { readJsonObject } from "../read-json-body.js";
import { parseRunBody, type RunBody } from "../run-body.js";
import type { FlowPath, VersionSegment } from "../router.js";
import { billIfFinished, checkFreshInput, checkTools, createRun, findRun, holdRun, releaseRun, requireCredits, resolveFlow, runBodyLimits, sessionIdOf, updateCallInput } from "../runs.js";
import { traceparentOf } from "../run-traceparent.js";
import { checkToolResume } from "../tool-resume.js";

export const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" } as const;

interface StepCall {
  run: Execution;
  toolResults: ToolResult[] | undefined;
}

/**
 * POST …/step: an SSE stream of one step (or all remaining ones with
 * `runRemaining`), always ending with exactly one of step_paused,
 * step_paused_for_tool_calls, step_error or flow_completed. Everything that
 * can be refused is checked before the stream starts, so refusals are plain
 * JSON errors.
 */
export async function handleStep(
  ctx: AppContext,
  request: AppRequest,
  route: { flow: FlowPath; version: VersionSegment },
  caller: Caller,
  cutAfterEvents: number | undefined,
): Promise<AppResponse> {
  if (route.version === 0) {
    throw new HttpError(400, "INVALID_VERSION", "a draft (/v0) cannot be stepped through; use the unversioned path or a published /vN");
  }
  const flow = resolveFlow(ctx, route.flow, route.version);
  // Every /step call after the first re-sends the run's outputs so far.
  const { value } = await readJsonObject(request, runBodyLimits(ctx, true));
  const body = parseRunBody(value);
  return withIdempotency(ctx, request, caller, { kind: "step", flow: route.flow, version: route.version }, value, async () => {
    const call = body.executionId === undefined ? freshCall(ctx, flow, body, request) : continuedCall(ctx, route.flow, flow, body);
    // A fresh run is held from its creation; a continued one from now, until its stream ends.
    if (body.executionId === undefined) call.run.busy = true;
    else holdRun(ctx, call.run);
    return { status: 200, headers: { ...SSE_HEADERS }, body: (sink) => stream(ctx, call, body.runRemaining, sink, cutAfterEvents) };
  });
}

function freshCall(ctx: AppContext, flow: ResolvedFlow, body: RunBody, request: AppRequest): StepCall {
  if (body.toolCallMessages !== undefined) {
    throw new HttpError(400, "BAD_REQUEST", "toolCallMessages needs the executionId of the paused run");
  }
  if ((body.stepIndex ?? 0) !== 0) {
    throw new HttpError(400, "INVALID_FIRST_CALL", `the first /step call of a run (no executionId) must have stepIndex 0, got ${String(body.stepIndex)}`);
  }
  checkFreshInput(flow, body);
  requireCredits(ctx, flow.definition.org);
  return { run: createRun(ctx, flow, "step", body, sessionIdOf(request), traceparentOf(request)), toolResults: undefined };
}

function continuedCall(ctx: AppContext, path: FlowPath, flow: ResolvedFlow, body: RunBody): StepCall {
  const id = body.executionId ?? "";
  const run = findRun(ctx, path, id);
  if (!run) throw new HttpError(404, "RUN_NOT_FOUND", `no run ${id} of flow ${flowKey(path)}`);
  if (run.busy) throw new HttpError(409, "INVALID_STEP_INDEX", `run ${id} is already running a step; wait for its stream to end`);
  if (run.finished) throw new HttpError(409, "INVALID_STEP_INDEX", `run ${id} has ${run.status === "completed" ? "completed" : "ended"}; no step is left to run`);
  checkTools(flow, body);
  let toolResults: ToolResult[] | undefined;
  const state = run.toolState;
  if (run.status === "awaiting_tools" && state) {
    if (body.toolCallMessages === undefined) {
      const ids = state.pendingCalls.map((call) => call.id).join(", ");
      throw new HttpError(400, "TOOL_RESULTS_MISMATCH", `run ${id} is waiting for the results of ${ids}; send them in toolCallMessages`);
    }
    if (body.stepIndex !== undefined && body.stepIndex !== state.stepIndex) {
      throw new HttpError(409, "INVALID_STEP_INDEX", `stepIndex ${body.stepIndex} does not match: run ${id} is paused for tool calls at step ${state.stepIndex} ("${state.stepId}")`);
    }
    toolResults = checkToolResume(run, body.toolCallMessages, body.iterationsUsed);
  } else {
    if (body.toolCallMessages !== undefined) throw new HttpError(409, "PAUSED_STEP_INVALID", `run ${id} is not paused for tool calls`);
    const index = body.stepIndex ?? run.nextStep;
    if (index !== run.nextStep) {
      const next = run.flow.steps[run.nextStep]?.id ?? "";
      throw new HttpError(409, "INVALID_STEP_INDEX", `stepIndex ${index} does not match: the next step of run ${id} is ${run.nextStep} ("${next}")`);
    }
  }
  requireCredits(ctx, run.org);
  updateCallInput(run, body);
  return { run, toolResults };
}

async function stream(ctx: AppContext, call: StepCall, runRemaining: boolean, sink: ByteSink, cutAfterEvents: number | undefined): Promise<void> {
  const { run } = call;
  const writer = new SseWriter(sink, { heartbeatMs: ctx.config.heartbeatMs, cutAfterEvents });
  ctx.streams.add(writer);
  // The step in flight stops when the client goes away or the server closes.
  const interrupt = new AbortController();
  const stop = () => interrupt.abort(new DOMException("stream ended", "AbortError"));
  let done = false;
  sink.onClose(() => {
    if (!done) stop();
  });
  ctx.closing.signal.addEventListener("abort", stop, { once: true });
  try {
    const outcome: AdvanceOutcome = await advanceExecution(run, {
      mode: runRemaining ? "all" : "one",
      signal: interrupt.signal,
      now: ctx.now,
      onFrame: (frame) => writer.sendEvent(frame),
      drain: () => writer.drain(),
      limits: ctx.limits,
      ...(call.toolResults ? { toolResults: call.toolResults } : {}),
    });
    if (outcome === "paused") {
      writer.sendEvent(run.emit("step_paused", run.nextStep - 1));
    } else if (outcome === "interrupted" && ctx.closing.signal.aborted) {
      // The stream still ends with a terminal event; the run itself stays resumable.
      endWithError(writer, run, "SERVER_CLOSING", (stepId) => `the server shut down while step "${stepId}" was running`);
    }
    billIfFinished(ctx, run);
  } catch (error) {
    // The engine ends runs it cannot finish; this is the last line for a bug around it.
    reportUnexpected("in a /step stream", error);
    endWithError(writer, run, "INTERNAL_ERROR", (stepId) => internalErrorMessage(`in step "${stepId}"`));
  } finally {
    done = true;
    releaseRun(ctx, run);
    // With a data directory, the run as this call left it is written before the stream's last frames go out.
    ctx.persistence.flush();
    ctx.closing.signal.removeEventListener("abort", stop);
    ctx.streams.delete(writer);
    writer.close();
  }
}

/** A terminal step_error for the step at the run's cursor (written only if the stream is still open). */
function endWithError(writer: SseWriter, run: Execution, code: string, message: (stepId: string) => string): void {
  const step = run.flow.steps[run.toolState?.stepIndex ?? run.nextStep];
  const stepId = step?.id ?? "";
  try {
    writer.event("step_error", { stepId, name: step?.name ?? stepId, error: { code, message: message(stepId) } });
  } catch (error) {
    reportUnexpected("ending a /step stream", error);
  }
}
