import type { JsonValue } from "../flows/types.js";
import { delay } from "./delay.js";
import { serverBusy, stepAllowance } from "./limits.js";
import { refusalOf, type OutputAllowance } from "./output-allowance.js";
import type { Execution, StepAttempt, StepError } from "./execution.js";
import { effectiveStep, outputText, stepInput, templateScope, type EffectiveStep } from "./step-config.js";
import { charge, completeStep, failStep, finish, modelTime, newAttempt, newRecord, totalsOf } from "./step-records.js";
import type { StepContext, StepOutcome } from "./step-context.js";
import { renderTemplate } from "./template.js";
import { offeredCalls, startToolStep } from "./tool-step.js";
import { countTokens, tokens } from "./usage.js";
import { runWaiting, type Waiting } from "./waits.js";

/**
 * Runs step `index` of the run on the mock model: every loop iteration, every
 * attempt (the first `failAttempts` fail and are retried up to `retries` times).
 * A tool-calling step whose functions the caller offered pauses instead.
 * An output past its limit fails the step at once (retrying could only fail again).
 * Throws the signal's reason if aborted; the run is then left as it was before
 * the step (apart from the aborted attempt, recorded as failed). A step that
 * never waits (no latency) ends before it returns: its outcome, not a promise.
 */
export function runStep(run: Execution, index: number, ctx: StepContext): StepOutcome | Promise<StepOutcome> {
  return runWaiting(stepWork(run, index, ctx));
}

function* stepWork(run: Execution, index: number, ctx: StepContext): Waiting<StepOutcome | Promise<StepOutcome>> {
  const step = effectiveStep(run, index);
  const stepId = step.definition.id;
  const input = stepInput(run, step);
  const record = newRecord(run, step, input, ctx.now());
  ctx.emit("step_started", index);
  ctx.emit("step_input", index);

  const tools = step.definition.tools;
  const calls = tools ? offeredCalls(run, tools) : [];
  if (tools && calls.length > 0) return startToolStep(run, step, record, calls, ctx);

  const count = step.definition.loop?.count;
  // Made when the first output is about to render (after the model's wait), so the room it sees is current.
  let allowance: OutputAllowance | undefined;
  const allowanceNow = (): OutputAllowance => {
    if (allowance) return allowance;
    allowance = stepAllowance(run, stepId, ctx.limits);
    // A loop's output is the array of its iterations: brackets and commas count too.
    if (count !== undefined) allowance.take(count + 1);
    return allowance;
  };
  const outputs: JsonValue[] = [];
  const attempts: StepAttempt[] = [];
  let outcome: { output: JsonValue } | { error: StepError } = { output: null };
  for (let i = 0; i < (count ?? 1) && "output" in outcome; i++) {
    const loop = count === undefined ? null : { index: i, count };
    outcome = yield* iterationWork(run, step, input, loop, attempts, allowanceNow, ctx);
    record.attempts = attempts.length;
    if ("output" in outcome) outputs.push(outcome.output);
  }
  run.steps.push(record);
  if ("error" in outcome) {
    failStep(run, step, record, outcome.error, totalsOf(attempts), ctx.now(), ctx.emit);
    return "failed";
  }
  const output = count === undefined ? (outputs[0] ?? null) : outputs;
  completeStep(run, step, record, output, allowance?.used ?? 0, totalsOf(attempts), ctx.now(), ctx.emit);
  return "completed";
}

function* iterationWork(
  run: Execution,
  step: EffectiveStep,
  input: Record<string, JsonValue>,
  loop: { index: number; count: number } | null,
  attempts: StepAttempt[],
  allowance: () => OutputAllowance,
  ctx: StepContext,
): Waiting<{ output: JsonValue } | { error: StepError }> {
  const { definition } = step;
  const tries = (definition.retries ?? 0) + 1;
  // Every try failed: the last one's error (the loop runs at least once).
  let error: StepError | undefined;
  for (let number = 1; number <= tries; number++) {
    // Attempts are kept too: a step that loops and retries thousands of times stops when the room is gone.
    if ((number > 1 || (loop?.index ?? 0) > 0) && ctx.limits.roomBytes(run) <= 0) return { error: serverBusy(definition.id) };
    const attempt = newAttempt(run, step, number, loop?.index ?? null, ctx.now());
    attempts.push(attempt);
    if (step.latencyMs) {
      try {
        yield delay(step.latencyMs, ctx.signal);
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
    let output: JsonValue;
    try {
      output = renderTemplate(step.template, templateScope(run, step, { attempt: number, loop, tool: null }), allowance());
    } catch (tooLarge) {
      const refusal = refusalOf(tooLarge);
      finish(attempt, "failed", ctx.now());
      attempt.error = refusal;
      return { error: refusal };
    }
    charge(run, attempt, tokens(countTokens(promptText), countTokens(outputText(output))), modelTime(step));
    finish(attempt, "completed", ctx.now());
    if (run.keepSnapshots) attempt.output = output;
    return { output };
  }
  return { error: error ?? { code: "MODEL_ERROR", message: `step "${definition.id}" failed` } };
}
