import { formatUsd } from "../money.js";
import type { DerivableEvent } from "./event-log.js";
import type { Execution } from "./execution.js";
import { stepOutputPayload } from "./step-output.js";
import { tokens } from "./usage.js";

/**
 * The payload of every event that can be rebuilt from an execution's
 * records, built in this one place: when the event is emitted (its records
 * are written first) and again when a kept log is read (they have not
 * changed since), so a stream and a later trace of it never differ.
 * `index` is the step's index (-1 for run-level events).
 */
export function derivedPayload(run: Execution, name: DerivableEvent, index: number): object {
  if (name === "run_started") return { runId: run.id, executionId: run.id, flowId: run.flow.flowId, stepCount: run.stepCount };
  if (name === "flow_completed") {
    const summary = { stepCount: run.stepCount, durationMs: run.durationMs, tokens: run.usage, costUsd: formatUsd(run.costPico) };
    return { runId: run.id, executionId: run.id, result: run.result, summary };
  }
  const step = run.flow.steps[index];
  const stepId = step?.id ?? "";
  const stepName = step?.name ?? stepId;
  const record = run.records[index];
  switch (name) {
    case "step_started":
      return { stepId, name: stepName, stepIndex: index };
    case "step_paused":
      return { stepId, stepIndex: index };
    case "step_input":
      return { stepId, inputData: record?.input ?? {} };
    case "step_output":
      return stepOutputPayload(stepId, record?.output ?? null);
    case "step_error":
      return { stepId, name: stepName, error: record?.error ?? null };
    case "step_completed":
      return {
        stepId,
        name: stepName,
        output: record?.output ?? null,
        durationMs: record?.durationMs ?? 0,
        tokens: record?.tokens ?? tokens(0, 0),
        costUsd: formatUsd(record?.costPico ?? 0),
      };
  }
}
