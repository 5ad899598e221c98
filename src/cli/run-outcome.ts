import { type AsyncFlow, FlowExecutionError, type StepFailed } from "../index.js";

/**
 * A run that ended `failed` is reported like the error `steps()` throws for
 * it, so the command line shows every failure the same way (one line, exit 6).
 */
export function stepFailure(event: StepFailed, executionId: string | undefined, requestId: string | undefined): FlowExecutionError {
  const reason = typeof event.error?.message === "string" ? event.error.message : "no reason given";
  return new FlowExecutionError(`Step "${event.name ?? event.stepId}" failed: ${reason}`, {
    code: typeof event.error?.code === "string" ? event.error.code : "STEP_FAILED",
    executionId,
    requestId,
    step: event,
  });
}

export function runFailure(
  reason: unknown,
  ids: { executionId: string | undefined; requestId: string | undefined },
  code = "RUN_FAILED",
): FlowExecutionError {
  const text = typeof reason === "string" && reason !== "" ? reason : "the run failed without a reason";
  return new FlowExecutionError(text, { code, ...ids });
}

/** The last line `run --json` prints: the run's outcome, shaped like `execute()`'s result. */
export function resultRecord(status: string, executionId: string | undefined, result: unknown): Record<string, unknown> {
  return { type: "result", status, executionId: executionId ?? null, result: result ?? null };
}

/**
 * A run that ended `failed` without a stream to say why (a draft, a job):
 * its trace names the failed step's code, so the error carries the code a
 * stream of the same run would have (`MODEL_ERROR`, not a generic one),
 * whatever the output mode. `RUN_FAILED` only when the trace cannot say.
 */
export async function failedRunError(
  flow: AsyncFlow,
  reason: unknown,
  ids: { executionId: string | undefined; requestId: string | undefined },
  signal: AbortSignal,
  fallbackCode = "RUN_FAILED",
): Promise<FlowExecutionError> {
  let code = fallbackCode;
  if (ids.executionId !== undefined) {
    try {
      const trace = await flow.run(ids.executionId).trace({ signal });
      const failed = [...trace.steps].reverse().find((step) => step.status === "failed");
      // A run's trace may leave out the steps' contexts (the local server does); the step's own trace has them.
      const context = failed === undefined ? undefined : (failed.errorContext ?? (await flow.run(ids.executionId).stepTrace(failed.stepId, { signal })).errorContext);
      const stepCode = (context as { code?: unknown } | null | undefined)?.code;
      if (typeof stepCode === "string" && stepCode !== "") code = stepCode;
    } catch (error) {
      if (signal.aborted) throw error;
      // The run failed either way; a trace that cannot be read only leaves the code generic.
    }
  }
  return runFailure(reason, ids, code);
}