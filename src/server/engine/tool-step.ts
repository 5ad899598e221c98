import type { JsonValue, StepToolsDefinition, ToolCallScript } from "../flows/types.js";
import { delay } from "./delay.js";
import { callsForTurn, readToolChoice } from "./tool-choice.js";
import { toolMessage, type ChatMessage, type ToolCall, type ToolResult } from "./messages.js";
import { jsonBytes } from "../json/json-size.js";
import { stepAllowance } from "./limits.js";
import { RECORD_BYTES, type Execution, type StepError, type StepRecord, type ToolState } from "./execution.js";
import { effectiveStep, outputText, templateScope, type EffectiveStep } from "./step-config.js";
import { charge, completeStep, failStep, finish, modelTime, newAttempt, totalsOf } from "./step-records.js";
import { refusalOf } from "./output-allowance.js";
import type { StepContext, StepOutcome } from "./step-context.js";
import { renderTemplate } from "./template.js";
import { countTokens, tokens } from "./usage.js";

/**
 * The calls the model makes on turn `round` of a tool-calling step, as the
 * caller's `toolChoice` and `tools` allow (see tool-choice): none means it
 * answers.
 */
export function offeredCalls(run: Execution, tools: StepToolsDefinition, round = 1): ToolCallScript[] {
  return callsForTurn(readToolChoice(run.input.toolChoice) ?? { kind: "auto" }, run.input.tools, tools, round);
}

/** First model turn of a tool-calling step: ask for round 1 of calls and pause. */
export async function startToolStep(run: Execution, step: EffectiveStep, record: StepRecord, calls: ToolCallScript[], ctx: StepContext): Promise<StepOutcome> {
  if (step.latencyMs) await delay(step.latencyMs, ctx.signal);
  const attempt = newAttempt(run, step, 1, null, record.startedAt);
  record.attempts = 1;
  if (run.keepSnapshots) attempt.input = record.input;
  const conversation: ChatMessage[] = run.input.messages
    ? structuredClone(run.input.messages)
    : [{ role: "user", content: run.input.message ?? "" }];
  // A copy of the caller's messages is the run's own to keep.
  if (run.input.messages) run.retain(jsonBytes(conversation));
  const state: ToolState = { stepIndex: step.index, stepId: step.definition.id, round: 0, conversation, pendingCalls: [], results: [], attempt, record };
  run.toolState = state;
  run.steps.push(record);
  return askRound(run, step, state, calls, ctx);
}

/**
 * The caller's results for the pending calls (already checked to match them):
 * ask the next round, or answer with the step's tools template.
 */
export async function resumeToolStep(run: Execution, results: readonly ToolResult[], ctx: StepContext): Promise<StepOutcome> {
  const state = run.toolState;
  if (!state) throw new Error(`run ${run.id} is not waiting for tool results`);
  const step = effectiveStep(run, state.stepIndex);
  const tools = step.definition.tools;
  if (!tools) throw new Error(`step "${state.stepId}" is not a tool-calling step`);
  if (step.latencyMs) await delay(step.latencyMs, ctx.signal);
  const last = results.map((result) => result.value);
  const messages = results.map(toolMessage);
  state.conversation.push(...messages);
  state.results.push(...last);
  state.pendingCalls = [];
  // Each result is kept twice: as the value templates see, and as the message's text.
  run.retain(jsonBytes(last) + jsonBytes(messages));
  // The caller may have dropped the tools (or changed toolChoice) on the resume; the step then answers.
  const calls = offeredCalls(run, tools, state.round + 1);
  if (calls.length > 0) {
    const limit = run.flow.toolIterationLimit;
    // Only a forced toolChoice asks past the script's rounds (which the flow keeps within its limit).
    if (state.round >= limit) return failToolStep(run, step, state, iterationLimit(state.stepId, limit, run.input.toolChoice), ctx);
    return askRound(run, step, state, calls, ctx);
  }
  const scope = templateScope(run, step, { attempt: 1, loop: null, tool: { results: state.results, last, round: state.round } });
  const allowance = stepAllowance(run, state.stepId, ctx.limits);
  let output: JsonValue;
  try {
    output = renderTemplate(tools.template, scope, allowance);
  } catch (error) {
    return failToolStep(run, step, state, refusalOf(error), ctx);
  }
  const prompt = countTokens(JSON.stringify(state.conversation));
  charge(run, state.attempt, tokens(prompt, countTokens(outputText(output))), modelTime(step));
  finish(state.attempt, "completed", ctx.now());
  if (run.keepSnapshots) state.attempt.output = output;
  run.toolState = undefined;
  completeStep(run, step, state.record, output, allowance.used, totalsOf([state.attempt]), ctx.now(), ctx.emit);
  return "completed";
}

/** Asks the next round of calls and pauses; arguments past the step's output limit fail the step instead. */
function askRound(run: Execution, step: EffectiveStep, state: ToolState, calls: ToolCallScript[], ctx: StepContext): StepOutcome {
  state.round += 1;
  const scope = templateScope(run, step, { attempt: 1, loop: null, tool: { results: state.results, last: [], round: state.round } });
  const allowance = stepAllowance(run, state.stepId, ctx.limits);
  let toolCalls: ToolCall[];
  try {
    toolCalls = calls.map((call) => ({
      id: `call_${++run.callCounter}`,
      type: "function",
      function: { name: call.name, arguments: JSON.stringify(renderTemplate(call.arguments ?? {}, scope, allowance)) },
    }));
  } catch (error) {
    return failToolStep(run, step, state, refusalOf(error), ctx);
  }
  // The calls are kept in the conversation (as arguments text, escaped once more).
  run.retain(2 * allowance.used + RECORD_BYTES * toolCalls.length);
  const prompt = countTokens(JSON.stringify(state.conversation));
  state.conversation.push({ role: "assistant", content: null, tool_calls: toolCalls });
  state.pendingCalls = toolCalls;
  (state.record.toolRounds ??= []).push({ toolCalls, toolCallMessages: [...state.conversation], iterationsUsed: state.round });
  charge(run, state.attempt, tokens(prompt, countTokens(JSON.stringify(toolCalls))), modelTime(step));
  ctx.emit("step_paused_for_tool_calls", state.stepIndex, {
    runId: run.id,
    executionId: run.id,
    stepId: state.stepId,
    stepIndex: state.stepIndex,
    iterationsUsed: state.round,
    // Copies: the conversation and outputs grow later, and the log may serialise this later.
    toolCallMessages: [...state.conversation],
    toolCalls,
    accumulatedOutputs: { ...run.outputs },
  });
  return "awaiting_tools";
}

function iterationLimit(stepId: string, limit: number, toolChoice: JsonValue | undefined): StepError {
  return {
    code: "TOOL_ITERATION_LIMIT",
    message: `step "${stepId}" still asked for tools after ${limit} rounds, this flow's toolIterationLimit (toolChoice ${JSON.stringify(toolChoice ?? "auto")} makes the model call a tool on every turn while tools are offered)`,
  };
}

function failToolStep(run: Execution, step: EffectiveStep, state: ToolState, error: StepError, ctx: StepContext): StepOutcome {
  finish(state.attempt, "failed", ctx.now());
  state.attempt.error = error;
  run.toolState = undefined;
  failStep(run, step, state.record, error, totalsOf([state.attempt]), ctx.now(), ctx.emit);
  return "failed";
}
