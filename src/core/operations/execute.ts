import { toolCallLimit } from "../client-errors.js";
import { callJson } from "../exchange.js";
import type { CallHooks } from "../middleware.js";
import { asCall, callHooks, handledTools } from "../middleware-chain.js";
import type { Op } from "../effects.js";
import type { ExecuteOptions, ResumeOptions } from "../options.js";
import { resumeMessages, toToolMessages, type ToolMessage } from "../tool-results.js";
import type { ExecuteResult, PausedState } from "../types.js";
import { versionSegment } from "../versions.js";
import { type FlowContext, pick, sessionOf, timeoutOf } from "./context.js";
import { readExecuteAnswer } from "./execute-response.js";
import { checkPausedState, pausedState, resumeRequestOf } from "./paused-state.js";

export type ExecuteOutcome = ExecuteResult | PausedState;

export const DEFAULT_MAX_TOOL_ROUNDS = 10;

const FRESH_KEYS = ["message", "messages", "parameters", "blockOverrides", "attachments", "tools", "toolChoice"] as const;
const RESUME_KEYS = ["parameters", "blockOverrides", "attachments", "tools", "toolChoice"] as const;

/** How a call answers tool rounds: its handler (if any) and how many rounds it allows. */
interface ToolRounds {
  toolHandler?: ExecuteOptions["toolHandler"];
  maxToolRounds?: number;
  timeout?: number;
}

/** `POST …/execute`, then, with a `toolHandler`, as many tool rounds as the flow asks (up to `maxToolRounds`). */
export function* execute(context: FlowContext, options: ExecuteOptions): Op<ExecuteOutcome> {
  const hooks = callHooks(context.config, "execute", context.flow, options.replayKey);
  return yield* asCall(hooks, executeCall(context, options, hooks));
}

function* executeCall(context: FlowContext, options: ExecuteOptions, hooks: CallHooks | undefined): Op<ExecuteOutcome> {
  const request = resumeRequestOf(options);
  const sessionId = sessionOf(context, options);
  const body = pick(options, FRESH_KEYS);
  body["trace"] = request.trace;
  const response = yield* callJson(context.config, {
    method: "POST",
    path: `${context.flow.basePath}${versionSegment(request.version)}/execute`,
    body,
    sessionId,
    idempotent: true,
    timeoutMs: timeoutOf(context, options),
    hooks,
  });
  const answer = readExecuteAnswer(response);
  if (!answer.paused) return answer.result;
  const outcome = pausedState(context.flow, answer.wire, request, response.sessionId);
  return yield* answerToolRounds(context, outcome, options, 0, hooks);
}

/** Resumes a paused run with the caller's results; continues with `toolHandler` if one is given. */
export function* resume(context: FlowContext, state: unknown, options: ResumeOptions): Op<ExecuteOutcome> {
  const hooks = callHooks(context.config, "resume", context.flow);
  return yield* asCall(hooks, resumeCall(context, state, options, hooks));
}

function* resumeCall(context: FlowContext, state: unknown, options: ResumeOptions, hooks: CallHooks | undefined): Op<ExecuteOutcome> {
  const paused = checkPausedState(state, context.flow);
  const results = toToolMessages(options.toolResults, paused.toolCalls, "toolResults");
  const next = yield* resumeOnce(context, paused, results, timeoutOf(context, options), hooks);
  return yield* answerToolRounds(context, next, options, 1, hooks);
}

function* answerToolRounds(
  context: FlowContext,
  first: ExecuteOutcome,
  options: ToolRounds,
  roundsDone: number,
  hooks: CallHooks | undefined,
): Op<ExecuteOutcome> {
  const handler = options.toolHandler;
  const maxRounds = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS;
  let outcome = first;
  let rounds = roundsDone;
  while (handler !== undefined && outcome.status === "tool_calls_required") {
    if (rounds >= maxRounds) throw toolCallLimit(maxRounds, outcome.executionId);
    rounds++;
    const results = yield* handledTools(hooks, handler, outcome.toolCalls);
    const messages = toToolMessages(results, outcome.toolCalls, "toolHandler's result");
    outcome = yield* resumeOnce(context, outcome, messages, timeoutOf(context, options), hooks);
  }
  return outcome;
}

/** One `POST …/execute` that hands tool results to a paused run. */
function* resumeOnce(
  context: FlowContext,
  paused: PausedState,
  results: ToolMessage[],
  timeoutMs: number,
  hooks: CallHooks | undefined,
): Op<ExecuteOutcome> {
  const { request } = paused;
  // The official clients send an explicit null message on resumes.
  const body = pick(request, RESUME_KEYS, { message: null });
  body["executionId"] = paused.executionId;
  body["pausedAtStep"] = paused.pausedAtStep;
  body["iterationsUsed"] = paused.iterationsUsed;
  body["toolCallMessages"] = resumeMessages(paused.toolCallMessages, results);
  body["accumulatedOutputs"] = paused.accumulatedOutputs;
  body["trace"] = request.trace;
  const response = yield* callJson(context.config, {
    method: "POST",
    path: `${context.flow.basePath}${versionSegment(request.version)}/execute`,
    body,
    // Unlike the official clients, a resume keeps the run's session.
    sessionId: paused.sessionId,
    idempotent: true,
    timeoutMs,
    executionId: paused.executionId,
    hooks,
  });
  const answer = readExecuteAnswer(response);
  return answer.paused ? pausedState(context.flow, answer.wire, request, response.sessionId) : answer.result;
}
