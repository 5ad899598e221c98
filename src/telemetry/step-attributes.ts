import type { OtelAttributes } from "../core/telemetry-types.js";
import { count, field, text, tokensOf } from "./read.js";

/**
 * What a step span says of a finished step, from a `step_completed` event or
 * a trace's step record, under the official SDK's attribute names (so that
 * dashboards built on it keep working) and the GenAI conventions' for the
 * model and tokens. Only values of the right type are kept: a null is absent.
 */
export function finishedStepAttributes(step: unknown, status: string | undefined): OtelAttributes {
  const tokens = tokensOf(step);
  return {
    "noukai.step.status": status,
    "noukai.step.duration_ms": count(field(step, "durationMs")),
    "noukai.step.attempt": count(field(step, "attempt")),
    "noukai.step.loop_index": count(field(step, "loopIndex")),
    "gen_ai.request.model": text(field(step, "modelUsed")) ?? text(field(step, "model")),
    "gen_ai.usage.input_tokens": tokens.input,
    "gen_ai.usage.output_tokens": tokens.output,
    // A decimal string, as the service sends money: never a float.
    "noukai.step.cost_usd": text(field(step, "costUsd")),
  };
}
