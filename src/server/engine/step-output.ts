import type { JsonValue } from "../flows/types.js";

/**
 * A `step_output` event's payload. The official sources disagree on the
 * field (the official client's type says `outputData`, its newest suite,
 * written against the live service, reads `outputContext`), so the output
 * goes under both: each reader finds it, and neither name is ever wrong.
 */
export function stepOutputPayload(stepId: string, output: JsonValue): object {
  return { stepId, outputData: output, outputContext: output };
}
