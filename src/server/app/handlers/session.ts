import type { Execution, StepRecord } from "../../engine/execution.js";
import type { Caller } from "../auth.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../http-error.js";
import type { AppResponse } from "../http-types.js";
import { json } from "../respond.js";
import { AnswerRoom, ENTRY_BYTES } from "./answer-room.js";
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
  const room = new AnswerRoom();
  return json(200, { sessionId, executions: visible.map((run) => sessionExecution(run, room)) });
}

/**
 * One execution of the listing. Within the answer's room: each step's
 * snapshots when they fit (else null, `truncated: true`), and its steps while
 * there is room for them (`snapshotsAvailable: false` once one is left out).
 */
function sessionExecution(run: Execution, room: AnswerRoom): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [];
  let complete = true;
  for (const step of run.steps) {
    if (!room.take(ENTRY_BYTES)) {
      complete = false;
      break;
    }
    const entry = sessionStep(step, room);
    if (entry.truncated) complete = false;
    steps.push(entry);
  }
  return {
    executionId: run.id,
    flowId: run.flow.flowId,
    slug: run.flow.definition.slug,
    triggerType: run.trigger,
    status: run.finished ? run.status : run.status === "pending" ? "pending" : "running",
    startedAt: iso(run.startedAt),
    completedAt: iso(run.completedAt),
    traceCaptureMode: "full",
    snapshotsAvailable: complete,
    steps,
    errorAtStep: run.failedStep?.stepId ?? null,
    // Beyond the official shape (clients ignore what they do not know): the live result, so a replay answers as live did.
    ...(run.finished && room.fit(run.result) ? { result: run.result } : {}),
  };
}

function sessionStep(step: StepRecord, room: AnswerRoom): Record<string, unknown> {
  const fits = room.fit(step.input, step.output, step.error, step.toolRounds);
  return {
    stepId: step.stepId,
    attempt: Math.max(1, step.attempts),
    loopIndex: null,
    status: step.status,
    startedAt: iso(step.startedAt),
    completedAt: iso(step.completedAt),
    durationMs: step.durationMs,
    inputSnapshot: fits ? step.input : null,
    outputSnapshot: fits ? (step.output ?? null) : null,
    errorSnapshot: fits ? (step.error ?? null) : null,
    truncated: !fits,
    // Beyond the official shape: each round of tool calls, so a replay can pause where the live run paused.
    ...(fits && step.toolRounds !== undefined ? { toolRounds: step.toolRounds } : {}),
  };
}
