import type { JsonValue } from "../flows/types.js";
import { delay } from "./delay.js";
import type { Run, StepAttempt, StepError } from "./run.js";
import { effectiveStep, outputText, stepInput, templateScope, type EffectiveStep } from "./step-config.js";
import { charge, completeStep, failStep, finish, modelTime, newAttempt, newRecord, totalsOf, type Emit } from "./step-records.js";
import { renderTemplate } from "./template.js";
import { offeredCalls, startToolStep } from "./tool-step.js";
import { countTokens, tokens } from "./usage.js";

export type StepOutcome = "completed" | "failed" | "awaiting_tools";

export interface StepContext {
  emit: Emit;
  /** Aborts the mock model's wait (client gone, server closing); the step then throws. */
  signal: AbortSignal | undefined;
  now: () => number;
}

/**
 * Runs step `index` of the run on the mock model: every loop iteration, every
 * attempt (the first `failAttempts` fail and are retried up to `retries` times).
 * A tool-calling step whose functions the caller offered pauses instead.
 * Throws the signal's reason if aborted; the run is then left as it was before
 * the step (apart from the aborted attempt, recorded as failed).
 */
export async function runStep(run: Run, index: number, ctx: StepContext): Promise<StepOutcome> {
  const step = effectiveStep(run, index);
  const stepId = step.definition.id;
  const input = stepInput(run, step);
  const record = newRecord(run, step, input, ctx.now());
  ctx.emit("step_started", { stepId, name: step.name, stepIndex: index }, index);
  ctx.emit("step_input", { stepId, inputData: input }, index);

  const tools = step.definition.tools;
  const calls = tools ? offeredCalls(run, tools) : [];
  if (tools && calls.length > 0) return startToolStep(run, step, record, calls, ctx);

  const count = step.definition.loop?.count;
  const outputs: JsonValue[] = [];
  const attempts: StepAttempt[] = [];
  for (let i = 0; i < (count ?? 1); i++) {
    const loop = count === undefined ? null : { index: i, count };
    const outcome = await runIteration(run, step, input, loop, attempts, ctx);
    record.attempts = attempts.length;
    if ("error" in outcome) {
      run.steps.push(record);
      failStep(run, step, record, outcome.error, totalsOf(attempts), ctx.now(), ctx.emit);
      return "failed";
    }
    outputs.push(outcome.output);
  }
  run.steps.push(record);
  const output = count === undefined ? (outputs[0] ?? null) : outputs;
  completeStep(run, step, record, output, totalsOf(attempts), ctx.now(), ctx.emit);
  return "completed";
}

async function runIteration(
  run: Run,
  step: EffectiveStep,
  input: Record<string, JsonValue>,
  loop: { index: number; count: number } | null,
  attempts: StepAttempt[],
  ctx: StepContext,
): Promise<{ output: JsonValue } | { error: StepError }> {
  const { definition } = step;
  const tries = (definition.retries ?? 0) + 1;
  let error: StepError = { code: "MODEL_ERROR", message: `step "${definition.id}" failed` };
  for (let number = 1; number <= tries; number++) {
    const attempt = newAttempt(run, step, number, loop?.index ?? null, ctx.now());
    attempts.push(attempt);
    if (step.latencyMs) {
      try {
        await delay(step.latencyMs, ctx.signal);
      } catch (reason) {
        attempt.status = "failed";
        attempt.completedAt = ctx.now();
        attempt.error = { code: "CANCELLED", message: `step "${definition.id}" was interrupted before it finished` };
        throw reason;
      }
    }
    const failing = definition.fail !== undefined || number <= (definition.failAttempts ?? 0);
    const promptText = JSON.stringify(input);
    if (run.keepSnapshots) attempt.input = input;
    if (failing) {
      error = definition.fail
        ? { code: definition.fail.code ?? "MODEL_ERROR", message: definition.fail.message }
        : { code: "MODEL_ERROR", message: `attempt ${number} of step "${definition.id}" failed (the step declares failAttempts: ${definition.failAttempts ?? 0})` };
      charge(run, attempt, tokens(countTokens(promptText), 0), modelTime(step));
      finish(attempt, "failed", ctx.now());
      attempt.error = error;
      continue;
    }
    const output = renderTemplate(step.template, templateScope(run, step, { attempt: number, loop, tool: null }));
    charge(run, attempt, tokens(countTokens(promptText), countTokens(outputText(output))), modelTime(step));
    finish(attempt, "completed", ctx.now());
    if (run.keepSnapshots) attempt.output = output;
    return { output };
  }
  return { error };
}
