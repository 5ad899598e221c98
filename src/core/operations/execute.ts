import { callJson } from "../exchange.js";
import type { Op } from "../effects.js";
import { ToolCallLimitError } from "../errors.js";
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

/** `POST …/execute`, then, with a `toolHandler`, as many tool rounds as the flow asks (up to `maxToolRounds`). */
export function* execute(context: FlowContext, options: Record<string, unknown>): Op<ExecuteOutcome> {
  const request = resumeRequestOf(options);
  const sessionId = sessionOf(context, options);
  const response = yield* callJson(context.config, {
    method: "POST",
    path: `${context.flow.basePath}${versionSegment(request.version)}/execute`,
    body: pick(options, FRESH_KEYS, { trace: request.trace }),
    sessionId,
    idempotent: true,
    timeoutMs: timeoutOf(context, options),
  });
  const answer = readExecuteAnswer(response, sessionId);
  const outcome = answer.paused ? pausedState(context.flow, answer.wire, request, sessionId) : answer.result;
  return yield* answerToolRounds(context, outcome, options, 0);
}

/** Resumes a paused run with the caller's results; continues with `toolHandler` if one is given. */
export function* resume(context: FlowContext, state: unknown, options: Record<string, unknown>): Op<ExecuteOutcome> {
  const paused = checkPausedState(state, context.flow);
  const results = toToolMessages(options["toolResults"], paused.toolCalls, "toolResults");
  const next = yield* resumeOnce(context, paused, results, timeoutOf(context, options));
  return yield* answerToolRounds(context, next, options, 1);
}

function* answerToolRounds(
  context: FlowContext,
  first: ExecuteOutcome,
  options: Record<string, unknown>,
  roundsDone: number,
): Op<ExecuteOutcome> {
  const handler = options["toolHandler"] as ((...args: never[]) => unknown) | undefined;
  const maxRounds = (options["maxToolRounds"] as number | undefined) ?? DEFAULT_MAX_TOOL_ROUNDS;
  let outcome = first;
  let rounds = roundsDone;
  while (handler !== undefined && outcome.status === "tool_calls_required") {
    if (rounds >= maxRounds) throw toolLimit(outcome, maxRounds);
    rounds++;
    const results = yield { op: "call", fn: handler, args: [outcome.toolCalls], name: "toolHandler" };
    const messages = toToolMessages(results, outcome.toolCalls, "toolHandler's result");
    outcome = yield* resumeOnce(context, outcome, messages, timeoutOf(context, options));
  }
  return outcome;
}

/** One `POST …/execute` that hands tool results to a paused run. */
function* resumeOnce(
  context: FlowContext,
  paused: PausedState,
  results: ToolMessage[],
  timeoutMs: number,
): Op<ExecuteOutcome> {
  const { request } = paused;
  const response = yield* callJson(context.config, {
    method: "POST",
    path: `${context.flow.basePath}${versionSegment(request.version)}/execute`,
    body: pick(
      request as unknown as Record<string, unknown>,
      RESUME_KEYS,
      {
        executionId: paused.executionId,
        pausedAtStep: paused.pausedAtStep,
        iterationsUsed: paused.iterationsUsed,
        toolCallMessages: resumeMessages(paused.toolCallMessages, results),
        accumulatedOutputs: paused.accumulatedOutputs,
        trace: request.trace,
      },
      { message: null },
    ),
    // Unlike the official clients, a resume keeps the run's session.
    sessionId: paused.sessionId,
    idempotent: true,
    timeoutMs,
    executionId: paused.executionId,
  });
  const answer = readExecuteAnswer(response, paused.sessionId);
  return answer.paused ? { ...pausedState(context.flow, answer.wire, request, paused.sessionId) } : answer.result;
}

function toolLimit(paused: PausedState, maxRounds: number): ToolCallLimitError {
  return new ToolCallLimitError(
    `The flow asked for round ${maxRounds + 1} of tool calls, beyond maxToolRounds (${maxRounds}). ` +
      `Its run ${paused.executionId} stays paused; raise maxToolRounds to let it go further.`,
    { code: "TOOL_CALL_LIMIT_CLIENT", executionId: paused.executionId },
  );
}
