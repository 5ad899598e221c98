import { advance, type AdvanceOutcome } from "../../engine/advance-execution.js";
import type { ToolResult } from "../../engine/messages.js";
import type { Execution } from "../../engine/execution.js";
import type { ResolvedFlow } from "../../flows/registry.js";
import type { Caller } from "../auth.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import type { AppRequest, AppResponse } from "../http-types.js";
import { withIdempotency } from "../idempotency.js";
import { json, jsonText } from "../respond.js";
import { readJsonObject } from "../read-json-body.js";
import { parseRunBody, type RunBody } from "../run-body.js";
import type { FlowPath, VersionSegment } from "../router.js";
import { billIfFinished, checkFreshInput, checkTools, createRun, findRun, holdRun, releaseRun, requireCredits, resolveFlow, runBodyLimits, sessionIdOf, updateCallInput } from "../runs.js";
import { traceparentOf } from "../run-traceparent.js";
import { checkToolResume } from "../tool-resume.js";

/**
 * POST …/execute: runs the whole flow and answers completed/failed, or the
 * paused shape when a tool-calling step waits for the caller. A body with
 * executionId + pausedAtStep + toolCallMessages resumes such a pause.
 * The run is not tied to the connection: a client that goes away loses the
 * answer, not the run (an idempotent retry gets the answer).
 */
export function handleExecute(ctx: AppContext, request: AppRequest, route: { flow: FlowPath; version: VersionSegment }, caller: Caller): Promise<AppResponse> {
  // An unknown flow or version is refused at once (a throw), before the body is read.
  const flow = resolveFlow(ctx, route.flow, route.version);
  // A tool resume re-sends the run's outputs so far. Once the body is here, a run that never waits is answered in the same turn.
  return readJsonObject(request, runBodyLimits(ctx, true)).then(({ value }) => {
    const body = parseRunBody(value);
    return withIdempotency(ctx, request, caller, { kind: "execute", flow: route.flow, version: route.version }, value, () => {
      if (!isResume(body)) {
        const run = freshRun(ctx, flow, body, request);
        run.busy = true;
        return advanceToAnswer(ctx, run, undefined);
      }
      const run = resumedRun(ctx, route.flow, flow, body);
      const toolResults = checkToolResume(run, body.toolCallMessages ?? [], body.iterationsUsed);
      requireCredits(ctx, run.org);
      updateCallInput(run, body);
      holdRun(ctx, run);
      return advanceToAnswer(ctx, run, toolResults);
    });
  });
}

/** Runs a held run as far as it goes and answers (at once when it never waited); the hold ends whatever happens. */
function advanceToAnswer(ctx: AppContext, run: Execution, toolResults: ToolResult[] | undefined): AppResponse | Promise<AppResponse> {
  let outcome: AdvanceOutcome | Promise<AdvanceOutcome>;
  try {
    outcome = advance(run, { mode: "all", signal: ctx.closing.signal, now: ctx.now, limits: ctx.limits, ...(toolResults ? { toolResults } : {}) });
  } catch (error) {
    releaseRun(ctx, run);
    throw error;
  }
  if (typeof outcome === "string") {
    releaseRun(ctx, run);
    return answerOf(ctx, run);
  }
  return outcome.then(
    () => {
      releaseRun(ctx, run);
      return answerOf(ctx, run);
    },
    (error: unknown) => {
      releaseRun(ctx, run);
      throw error;
    },
  );
}

function answerOf(ctx: AppContext, run: Execution): AppResponse {
  billIfFinished(ctx, run);
  return finishedAnswer(run) ?? json(200, executeAnswer(run));
}

/**
 * The answer of a completed or failed run (nearly every execute), written as
 * the JSON that JSON.stringify makes of executeAnswer's object, without
 * building that object: only the result and the run id need serialising
 * (the flow id is quoted once per flow).
 */
function finishedAnswer(run: Execution): AppResponse | undefined {
  if ((run.status !== "completed" && run.status !== "failed") || run.result === undefined) return undefined;
  const body = `{"status":"${run.status}","result":${JSON.stringify(run.result)},"executionId":${JSON.stringify(run.id)},"flowId":${run.flow.flowIdJson},"blockCount":${run.stepCount}}`;
  return jsonText(200, body);
}

function isResume(body: RunBody): boolean {
  return body.executionId !== undefined || body.pausedAtStep !== undefined || body.toolCallMessages !== undefined;
}

function freshRun(ctx: AppContext, flow: ResolvedFlow, body: RunBody, request: AppRequest): Execution {
  checkFreshInput(flow, body);
  requireCredits(ctx, flow.definition.org);
  return createRun(ctx, flow, "execute", body, sessionIdOf(request), traceparentOf(request));
}

function resumedRun(ctx: AppContext, path: FlowPath, flow: ResolvedFlow, body: RunBody): Execution {
  const missing = (["executionId", "pausedAtStep", "toolCallMessages"] as const).filter((field) => body[field] === undefined);
  if (missing.length > 0) {
    throw new HttpError(400, "BAD_REQUEST", `a tool resume needs executionId, pausedAtStep and toolCallMessages together; missing ${missing.join(", ")}`);
  }
  const id = body.executionId ?? "";
  const run = findRun(ctx, path, id);
  if (!run || run.finished) {
    throw new HttpError(400, "EXECUTION_ID_INVALID", run ? `execution ${id} has already ${run.status === "completed" ? "completed" : "ended"}; it cannot be resumed` : `no execution ${id} of this flow is waiting to be resumed`);
  }
  if (run.status !== "awaiting_tools" || run.toolState?.stepId !== body.pausedAtStep || run.busy) {
    const where = run.toolState && !run.busy ? `it is paused at step "${run.toolState.stepId}"` : "it is not paused for tool calls";
    throw new HttpError(409, "PAUSED_STEP_INVALID", `execution ${id} cannot be resumed at step "${body.pausedAtStep ?? ""}": ${where}`);
  }
  checkTools(flow, body);
  return run;
}

/** The /execute answer for a run that stopped: completed, failed, or paused for tools. */
export function executeAnswer(run: Execution): Record<string, unknown> {
  if (run.status === "awaiting_tools" && run.toolState) {
    const state = run.toolState;
    return {
      status: "tool_calls_required",
      executionId: run.id,
      pausedAtStep: state.stepId,
      iterationsUsed: state.round,
      toolCallMessages: state.conversation,
      toolCalls: state.pendingCalls,
      accumulatedOutputs: run.outputs,
      flowId: run.flow.flowId,
      blockCount: run.stepCount,
    };
  }
  if (run.status === "completed" || run.status === "failed") return { status: run.status, result: run.result, executionId: run.id, flowId: run.flow.flowId, blockCount: run.stepCount };
  throw new HttpError(503, "SERVER_CLOSING", `execution ${run.id} was interrupted because the server is shutting down`);
}
