import type { Run, StepRecord } from "../../engine/run.js";
import type { Caller } from "../auth.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import type { AppResponse } from "../http-types.js";
import { json } from "../respond.js";
import { iso } from "./trace-shapes.js";

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * GET /seq/sessions/{id}: the executions tagged with `X-Session-Id`, in the
 * camelCase SessionResponse shape a replaying client consumes. Each step is
 * listed once (its final attempt), so the last step's outputSnapshot is the
 * execution's live result. A key limited to an org sees only that org's runs.
 */
export function handleSession(ctx: AppContext, route: { sessionId: string }, caller: Caller): AppResponse {
  const { sessionId } = route;
  if (!UUID.test(sessionId)) throw new HttpError(400, "BAD_REQUEST", `session id ${JSON.stringify(sessionId)} is not a UUID`);
  const found = ctx.sessions.lookup(sessionId, (id) => ctx.runs.peek(id));
  if (found.state === "expired") throw new HttpError(410, "GONE", `session ${sessionId} has expired`);
  if (found.state === "unknown") throw new HttpError(404, "NOT_FOUND", `no session ${sessionId}`);
  const visible = found.runs.filter(
    (run) => (caller.org === undefined || caller.org === run.org) && (caller.project === undefined || caller.project === run.flow.definition.project),
  );
  return json(200, { sessionId, executions: visible.map(sessionExecution) });
}

function sessionExecution(run: Run): Record<string, unknown> {
  return {
    executionId: run.id,
    flowId: run.flow.flowId,
    slug: run.flow.definition.slug,
    triggerType: run.trigger,
    status: run.finished ? run.status : run.status === "pending" ? "pending" : "running",
    startedAt: iso(run.startedAt),
    completedAt: iso(run.completedAt),
    traceCaptureMode: "full",
    snapshotsAvailable: true,
    steps: run.steps.map(sessionStep),
    errorAtStep: run.failedStep?.stepId ?? null,
  };
}

function sessionStep(step: StepRecord): Record<string, unknown> {
  return {
    stepId: step.stepId,
    attempt: Math.max(1, step.attempts),
    loopIndex: null,
    status: step.status,
    startedAt: iso(step.startedAt),
    completedAt: iso(step.completedAt),
    durationMs: step.durationMs,
    inputSnapshot: step.input,
    outputSnapshot: step.output ?? null,
    errorSnapshot: step.error ?? null,
    truncated: false,
  };
}
