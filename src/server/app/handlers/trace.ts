import type { Execution, StepAttempt } from "../../engine/execution.js";
import { flowKey } from "../../flows/flow-key.js";
import type { AppContext } from "../context.js";
import { badRequest, HttpError } from "../http-error.js";
import type { AppRequest, AppResponse } from "../http-types.js";
import { json } from "../respond.js";
import type { FlowPath } from "../router.js";
import { findRun } from "../runs.js";
import { AnswerRoom, ENTRY_BYTES } from "./answer-room.js";
import { flowRun, latestAttempts, stepTrace } from "./trace-shapes.js";

interface RunRoute {
  flow: FlowPath;
  executionId: string;
}

export function requireRun(ctx: AppContext, route: RunRoute) {
  const run = findRun(ctx, route.flow, route.executionId);
  if (!run) {
    throw new HttpError(404, "RUN_NOT_FOUND", `no run ${route.executionId} of flow ${flowKey(route.flow)}`);
  }
  return run;
}

/** GET …/runs/{id}: the run summary (the `flowRun` shape). */
export function handleRunSummary(ctx: AppContext, route: RunRoute): AppResponse {
  return json(200, flowRun(requireRun(ctx, route), ctx.now()));
}

/** GET …/runs/{id}/trace: the run and the latest attempt of each step. */
export function handleTrace(ctx: AppContext, route: RunRoute): AppResponse {
  const run = requireRun(ctx, route);
  const room = new AnswerRoom();
  return json(200, { flowRun: flowRun(run, ctx.now()), steps: latestAttempts(run).map((attempt) => stepTrace(run, attempt, room)) });
}

/**
 * GET …/runs/{id}/steps/{stepId}/trace[?attempt=latest|all|N][&loop_index=N]:
 * `loop_index` picks one iteration of a looping step (else the latest one);
 * attempts are numbered per iteration.
 */
export function handleStepTrace(ctx: AppContext, request: AppRequest, route: RunRoute & { stepId: string }): AppResponse {
  const run = requireRun(ctx, route);
  const params = new URLSearchParams(request.query);
  const attemptParam = params.get("attempt") ?? "latest";
  if (!/^(latest|all|[1-9]\d{0,5})$/.test(attemptParam)) {
    throw badRequest(`query parameter "attempt" must be latest, all or a positive whole number, got ${JSON.stringify(attemptParam)}`);
  }
  const loopParam = params.get("loop_index");
  if (loopParam !== null && !/^\d{1,6}$/.test(loopParam)) {
    throw badRequest(`query parameter "loop_index" must be a whole number >= 0, got ${JSON.stringify(loopParam)}`);
  }
  const { stepId } = route;
  if (!run.flow.steps.some((step) => step.id === stepId)) {
    throw new HttpError(404, "STEP_NOT_FOUND", `run ${run.id} has no step "${stepId}"`);
  }
  let attempts = run.attempts.filter((attempt) => attempt.stepId === stepId);
  if (attempts.length === 0) throw new HttpError(404, "STEP_NOT_FOUND", `step "${stepId}" has not run yet in run ${run.id}`);
  const loopIndex = loopParam === null ? lastLoopIndex(attempts) : Number(loopParam);
  attempts = attempts.filter((attempt) => attempt.loopIndex === loopIndex || (loopParam === null && attempt.loopIndex === null));
  if (attempts.length === 0) throw new HttpError(404, "STEP_NOT_FOUND", `step "${stepId}" has no loop iteration ${String(loopIndex)} in run ${run.id}`);
  const room = new AnswerRoom();
  if (attemptParam === "all") return json(200, allAttempts(run, stepId, attempts, room));
  const chosen = attemptParam === "latest" ? attempts.at(-1) : attempts.find((attempt) => attempt.attempt === Number(attemptParam));
  if (!chosen) throw new HttpError(404, "STEP_NOT_FOUND", `step "${stepId}" has no attempt ${attemptParam} in run ${run.id}`);
  return json(200, stepTrace(run, chosen, room));
}

function lastLoopIndex(attempts: readonly StepAttempt[]): number | null {
  return attempts.at(-1)?.loopIndex ?? null;
}

/**
 * Every attempt of a step, as many as the answer's room holds: the latest
 * ones when a step retried and looped thousands of times (`truncated: true`
 * then says earlier ones were left out).
 */
function allAttempts(run: Execution, stepId: string, attempts: readonly StepAttempt[], room: AnswerRoom): Record<string, unknown> {
  const listed: Record<string, unknown>[] = [];
  for (let i = attempts.length - 1; i >= 0 && room.take(ENTRY_BYTES); i--) listed.push(stepTrace(run, attempts[i] as StepAttempt, room));
  const answer: Record<string, unknown> = { stepId, attempts: listed.reverse() };
  if (listed.length < attempts.length) answer.truncated = true;
  return answer;
}
