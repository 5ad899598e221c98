/**
 * Answers rebuilt from a captured execution (a session's), as the live
 * service gave them: `execute` completes, fails as a result, or pauses for
 * each recorded round of tool calls, then answers each resume; `/step`
 * requests get the run's events one step (or, with `runRemaining`, all steps)
 * at a time, `step_error` included; a job is accepted, then polled to its
 * recorded status; traces are the recorded steps.
 */
import type { AnswerEvent, MiddlewareAnswer, OutgoingRequest } from "../core/middleware.js";
import type { SessionExecution, SessionStep } from "../core/types.js";
import { replayedExecution } from "./replayed-execution.js";

/** The output a step recorded, without the service's sidecar keys (`__rendered_prompt__`), as a live answer has it. */
export function strippedOutput(output: unknown): unknown {
  if (output === null || typeof output !== "object" || Array.isArray(output) || !Object.hasOwn(output, "__rendered_prompt__")) return output;
  const { __rendered_prompt__: _sidecar, ...rest } = output as Record<string, unknown>;
  return rest;
}

type Planned = AnswerEvent & { ends?: true };

export class ExecutionAnswers {
  readonly #execution: SessionExecution;
  readonly #steps: readonly SessionStep[];
  /** The run's events, in order, as one stream would carry them all. */
  readonly #plan: Planned[];
  /** How far the /step requests have come through the plan. */
  #streamed = 0;
  /** How many answers `/execute` has given (pauses, then the end). */
  #executed = 0;

  constructor(recorded: SessionExecution) {
    const execution = replayedExecution(recorded);
    this.#execution = execution;
    this.#steps = execution.steps;
    this.#plan = planEvents(execution);
  }

  get executionId(): string {
    return this.#execution.executionId;
  }

  /** The next `/execute` answer: each recorded tool pause in turn, then the run's end. */
  execute(): MiddlewareAnswer {
    const pauses = this.#pauses();
    const next = pauses[this.#executed];
    this.#executed += 1;
    return next === undefined ? { status: 200, body: this.#finalAnswer() } : { status: 200, body: next };
  }

  /** The next `/step` answer: one step's events (and a `step_paused`), or every remaining step's with `runRemaining`. */
  step(request: OutgoingRequest): MiddlewareAnswer {
    const runRemaining = request.body?.["runRemaining"] === true;
    const events: AnswerEvent[] = [];
    while (this.#streamed < this.#plan.length) {
      const planned = this.#plan[this.#streamed] as Planned;
      this.#streamed += 1;
      events.push({ event: planned.event, data: planned.data });
      if (planned.ends) break;
      if (planned.event === "step_completed" && !runRemaining) {
        // The last step's completion is followed by the run's end in the same stream, as live.
        if (this.#plan[this.#streamed]?.event === "flow_completed") continue;
        events.push({ event: "step_paused", data: { stepId: planned.data["stepId"], stepIndex: planned.data["stepIndex"] } });
        break;
      }
    }
    return { status: 200, events };
  }

  /** A queued run's acceptance. */
  submitted(): MiddlewareAnswer {
    return { status: 202, body: { executionId: this.executionId, status: "pending", flowId: this.#execution.flowId ?? "", blockCount: this.#steps.length } };
  }

  /** A job's status: the one it ended with. */
  polled(): MiddlewareAnswer {
    const { status } = this.#execution;
    const failure = this.#failure();
    return {
      status: 200,
      body: { executionId: this.executionId, status, result: status === "completed" ? this.#result() : null, error: failure === undefined ? null : failure },
    };
  }

  /** Every event of the run, as a live trace replays it. */
  liveTrace(): MiddlewareAnswer {
    return { status: 200, events: this.#plan.map(({ event, data }) => ({ event, data })) };
  }

  /** The run's trace, or (with a step in the path) one step's. */
  trace(request: OutgoingRequest): MiddlewareAnswer {
    const stepPath = /\/steps\/([^/?]+)\/trace/.exec(request.path);
    if (stepPath === null) {
      const run = this.#execution;
      const flowRun = { id: run.executionId, flowId: run.flowId ?? "", status: run.status, triggerType: run.triggerType, startedAt: run.startedAt, completedAt: run.completedAt, stepCount: this.#steps.length };
      return { status: 200, body: { flowRun, steps: this.#steps.map(stepTrace) } };
    }
    const stepId = decodeURIComponent(stepPath[1] ?? "");
    const step = this.#steps.find((candidate) => candidate.stepId === stepId);
    if (step === undefined) return { status: 404, body: { detail: { code: "STEP_NOT_FOUND", message: `the recorded run has no step ${stepId}` } } };
    return { status: 200, body: request.path.includes("attempt=all") ? { stepId, attempts: [stepTrace(step)] } : stepTrace(step) };
  }

  /** Each recorded tool round as the paused `/execute` answer that asked for it. */
  #pauses(): Record<string, unknown>[] {
    const pauses: Record<string, unknown>[] = [];
    this.#steps.forEach((step, index) => {
      for (const round of step.toolRounds ?? []) {
        pauses.push({
          status: "tool_calls_required",
          executionId: this.executionId,
          pausedAtStep: step.stepId,
          iterationsUsed: round.iterationsUsed,
          toolCallMessages: round.toolCallMessages,
          toolCalls: round.toolCalls,
          accumulatedOutputs: outputsBefore(this.#steps, index),
          flowId: this.#execution.flowId ?? "",
          blockCount: this.#steps.length,
        });
      }
    });
    return pauses;
  }

  /** A failed run is a result with status "failed", as live: it does not throw. */
  #finalAnswer(): Record<string, unknown> {
    const failure = this.#failure();
    const common = { executionId: this.executionId, flowId: this.#execution.flowId ?? "", blockCount: this.#steps.length };
    if (failure !== undefined) return { status: "failed", result: this.#execution.result ?? failure, ...common };
    return { status: "completed", result: this.#result(), ...common };
  }

  #result(): unknown {
    return Object.hasOwn(this.#execution, "result") ? this.#execution.result : strippedOutput(this.#steps.at(-1)?.outputSnapshot ?? null);
  }

  /** What failed, in the live answer's words, when the run failed. */
  #failure(): string | undefined {
    const failed = this.#steps.find((step) => step.errorSnapshot !== null) ?? this.#steps.find((step) => step.stepId === this.#execution.errorAtStep);
    if (failed === undefined && this.#execution.status !== "failed") return undefined;
    const message = failed?.errorSnapshot?.message ?? "the recorded run failed";
    return `Step "${failed?.stepId ?? this.#execution.errorAtStep ?? "?"}" failed: ${message}`;
  }
}

function outputsBefore(steps: readonly SessionStep[], index: number): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const step of steps.slice(0, index)) outputs[step.stepId] = strippedOutput(step.outputSnapshot);
  return outputs;
}

/** The events one stream would carry for the whole run, the stream's terminal events marked. */
function planEvents(execution: SessionExecution): Planned[] {
  const { executionId } = execution;
  const flowId = execution.flowId ?? "";
  const steps = execution.steps;
  const plan: Planned[] = [{ event: "run_started", data: { runId: executionId, executionId, flowId, stepCount: steps.length } }];
  for (const [index, step] of steps.entries()) {
    const { stepId } = step;
    plan.push({ event: "step_started", data: { stepId, stepIndex: index } });
    if (step.inputSnapshot !== null) plan.push({ event: "step_input", data: { stepId, inputData: step.inputSnapshot } });
    for (const round of step.toolRounds ?? []) {
      plan.push({
        event: "step_paused_for_tool_calls",
        data: { runId: executionId, executionId, stepId, stepIndex: index, iterationsUsed: round.iterationsUsed, toolCallMessages: round.toolCallMessages, toolCalls: round.toolCalls, accumulatedOutputs: outputsBefore(steps, index) },
        ends: true,
      });
    }
    if (step.errorSnapshot !== null) {
      plan.push({ event: "step_error", data: { stepId, error: step.errorSnapshot }, ends: true });
      return plan;
    }
    const output = strippedOutput(step.outputSnapshot);
    plan.push({ event: "step_output", data: { stepId, outputData: output, outputContext: output } });
    plan.push({ event: "step_completed", data: { stepId, output, stepIndex: index, ...(step.durationMs === null ? {} : { durationMs: step.durationMs }) } });
  }
  const result = Object.hasOwn(execution, "result") ? execution.result : strippedOutput(steps.at(-1)?.outputSnapshot ?? null);
  plan.push({ event: "flow_completed", data: { runId: executionId, executionId, result }, ends: true });
  return plan;
}

function stepTrace(step: SessionStep): Record<string, unknown> {
  return {
    stepId: step.stepId,
    attempt: step.attempt,
    loopIndex: step.loopIndex,
    status: step.status,
    startedAt: step.startedAt,
    completedAt: step.completedAt,
    durationMs: step.durationMs,
    inputContext: step.inputSnapshot,
    outputContext: { output: strippedOutput(step.outputSnapshot) },
    errorContext: step.errorSnapshot,
  };
}
