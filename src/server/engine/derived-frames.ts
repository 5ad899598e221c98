import { formatEvent, formatEventMembers, type SseFrame } from "../sse/frame.js";
import { formatUsd } from "../money.js";
import { derivedPayload } from "./event-payloads.js";
import type { DerivableEvent } from "./event-log.js";
import type { Execution } from "./execution.js";
import type { JsonValue, StepDefinition } from "../flows/types.js";
import { NO_TOKENS, type Tokens } from "./usage.js";

// A step's events come one after another: its id and name are quoted once for
// all four, and its output serialised once for step_output and step_completed
// (a kept output is never changed, so the same value has the same JSON).
const quoted: { step: StepDefinition | undefined; id: string; name: string } = { step: undefined, id: "", name: "" };
let lastOutput: { value: JsonValue; json: string } = { value: null, json: "null" };

/** What JSON.stringify makes of a Tokens object (every one comes from tokens(): these keys, in this order, whole numbers). */
function tokensJson(usage: Tokens): string {
  return `{"prompt":${JSON.stringify(usage.prompt)},"completion":${JSON.stringify(usage.completion)},"total":${JSON.stringify(usage.total)}}`;
}

function outputJson(value: JsonValue): string {
  if (value !== lastOutput.value) lastOutput = { value, json: JSON.stringify(value) };
  return lastOutput.json;
}

/**
 * The frame of a derivable event, exactly `formatEvent(name, derivedPayload(…))`
 * (the test suite holds the two to it), written straight from the records
 * for the four events every step sends. A 10,000-step stream sends 40,000 of
 * them: building each payload object only to have JSON.stringify walk it,
 * check it and copy it again was the largest cost of a streamed step. The
 * step's output is serialised once per event (step_output carries it twice).
 * Run-level events and errors, one or two per stream, take the general path.
 */
export function derivedFrame(run: Execution, name: DerivableEvent, index: number): SseFrame {
  const step = run.flow.steps[index];
  const record = run.records[index];
  if (step === undefined) return formatEvent(name, derivedPayload(run, name, index));
  if (step !== quoted.step) {
    quoted.step = step;
    quoted.id = JSON.stringify(step.id);
    // As derivedPayload names it: the step's name, else its id.
    quoted.name = (step.name ?? null) === null ? quoted.id : JSON.stringify(step.name);
  }
  const stepId = quoted.id;
  const stepName = quoted.name;
  switch (name) {
    case "step_started":
      return formatEventMembers(name, `"stepId":${stepId},"name":${stepName},"stepIndex":${index}`);
    case "step_input":
      return formatEventMembers(name, `"stepId":${stepId},"inputData":${JSON.stringify(record?.input ?? {})}`);
    case "step_output": {
      const output = outputJson(record?.output ?? null);
      return formatEventMembers(name, `"stepId":${stepId},"outputData":${output},"outputContext":${output}`);
    }
    case "step_completed": {
      if (record === undefined) break;
      const output = outputJson(record.output ?? null);
      return formatEventMembers(
        name,
        `"stepId":${stepId},"name":${stepName},"output":${output},"durationMs":${JSON.stringify(record.durationMs ?? 0)},"tokens":${tokensJson(record.tokens ?? NO_TOKENS)},"costUsd":"${formatUsd(record.costPico ?? 0)}"`,
      );
    }
    default:
      break;
  }
  return formatEvent(name, derivedPayload(run, name, index));
}
