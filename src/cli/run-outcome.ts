import { FlowExecutionError, type StepFailed } from "../index.js";

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
