import { advanceExecution } from "../../engine/advance-execution.js";
import type { Execution } from "../../engine/execution.js";
import { flowKey } from "../../flows/flow-key.js";
import type { Caller } from "../auth.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import type { AppRequest, AppResponse } from "../http-types.js";
import { withIdempotency } from "../idempotency.js";
import { json } from "../respond.js";
import { readJsonObject } from "../read-json-body.js";
import { parseRunBody } from "../run-body.js";
import type { FlowPath, VersionSegment } from "../router.js";
import { internalErrorMessage, reportUnexpected } from "../../unexpected.js";
import { billIfFinished, checkFreshInput, createRun, findRun, releaseRun, requireCredits, resolveFlow, runBodyLimits, sessionIdOf } from "../runs.js";
import { traceparentOf } from "../run-traceparent.js";

/** POST …/jobs: queue the run for the worker pool and answer 202 at once. */
export async function handleJobs(ctx: AppContext, request: AppRequest, route: { flow: FlowPath; version: VersionSegment }, caller: Caller): Promise<AppResponse> {
  const flow = resolveFlow(ctx, route.flow, route.version);
  const { value } = await readJsonObject(request, runBodyLimits(ctx, false));
  const body = parseRunBody(value);
  return withIdempotency(ctx, request, caller, { kind: "jobs", flow: route.flow, version: route.version }, value, async () => {
    if ((body.tools && body.tools.length > 0) || body.toolCallMessages !== undefined) {
      throw new HttpError(400, "TOOLS_REQUIRE_SYNC_EXECUTE", "tool calls are not supported on /jobs; use /execute (or /step) for flows that call tools");
    }
    checkFreshInput(flow, body);
    requireCredits(ctx, flow.definition.org);
    if (ctx.jobs.full()) throw queueFull(ctx);
    const run = createRun(ctx, flow, "job", body, sessionIdOf(request), traceparentOf(request));
    // The run stays held (in the run store's budget) while it waits and while it runs.
    const queued = ctx.jobs.enqueue({
      run: () => runJob(ctx, run),
      cancel: () => {
        cancel(ctx, run, "cancelled: the server shut down before the job started");
        releaseRun(ctx, run);
      },
      bytes: run.bytes,
    });
    if (!queued) {
      end(ctx, run, "cancelled", "the job queue was full");
      releaseRun(ctx, run);
      throw queueFull(ctx);
    }
    return json(202, { executionId: run.id, status: "pending", flowId: flow.flowId, blockCount: run.stepCount });
  });
}

function queueFull(ctx: AppContext): HttpError {
  const { maxQueuedJobs, maxQueuedJobBytes } = ctx.config;
  return new HttpError(503, "QUEUE_FULL", `the job queue is full (at most ${maxQueuedJobs} jobs and ${maxQueuedJobBytes} bytes waiting); retry later`, { "retry-after": "1" });
}

async function runJob(ctx: AppContext, run: Execution): Promise<void> {
  run.busy = true;
  try {
    const advancing = advanceExecution(run, { mode: "all", signal: ctx.closing.signal, now: ctx.now, limits: ctx.limits });
    // Written once it has started (advanceExecution marks it running before its first wait): a restart then says it was running, not waiting.
    ctx.persistence.saveRun(run);
    await advancing;
  } catch (error) {
    reportUnexpected(`in job ${run.id}`, error);
  } finally {
    releaseRun(ctx, run);
    if (!run.finished) {
      // Only a shutdown interrupts a job; anything else that stopped it is a failure, never "cancelled".
      if (ctx.closing.signal.aborted) cancel(ctx, run, "cancelled: the server shut down while the job was running");
      else end(ctx, run, "failed", internalErrorMessage(`in job ${run.id}`));
    }
    billIfFinished(ctx, run);
  }
}

function cancel(ctx: AppContext, run: Execution, reason: string): void {
  end(ctx, run, "cancelled", reason);
}

function end(ctx: AppContext, run: Execution, status: "cancelled" | "failed", reason: string): void {
  run.status = status;
  run.error = reason;
  run.completedAt = ctx.now();
  run.log.settle();
  ctx.persistence.saveRun(run);
}

/** GET …/jobs/{executionId}: pending | running | completed | failed (| cancelled after a shutdown). */
export function handlePoll(ctx: AppContext, route: { flow: FlowPath; executionId: string }): AppResponse {
  const run = findRun(ctx, route.flow, route.executionId);
  // A fresh job may stay invisible for a while, like on the real service.
  if (!run || ctx.now() < run.createdAt + ctx.config.jobVisibilityDelayMs) {
    throw new HttpError(404, "JOB_NOT_FOUND", `no job ${route.executionId} for flow ${flowKey(route.flow)}`);
  }
  return json(200, { executionId: run.id, status: jobStatus(run), result: run.status === "completed" ? run.result : null, error: run.error });
}

function jobStatus(run: Execution): string {
  switch (run.status) {
    case "pending":
    case "completed":
    case "failed":
    case "cancelled":
      return run.status;
    default:
      return "running";
  }
}
