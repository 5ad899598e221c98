import type { OtelContext } from "../core/telemetry-types.js";
import { errorMessage } from "./error-type.js";
import { STEP_SPAN } from "./live-steps.js";
import { SPAN_KIND, SPAN_STATUS } from "./otel-api-shape.js";
import { payloadAttribute } from "./payloads.js";
import { count, field, instant, text } from "./read.js";
import type { Telemetry } from "./setup.js";
import { finishedStepAttributes } from "./step-attributes.js";

/**
 * The most step spans one trace makes. A trace answer may list millions of
 * records (a hostile or broken server, within the answer's size limit), and
 * a span each would hold the caller's thread for seconds and its memory for
 * as long as the exporter keeps them: telemetry must never cost a call that.
 */
export const MAX_RECORDED_STEP_SPANS = 1_000;

/**
 * Step spans from a run's recorded trace (`GET …/trace`, `…/steps/{id}/trace`),
 * each placed at the time the service recorded, under `parent`. Every record
 * gets its span, whatever another one holds: a field that is null or of the
 * wrong type is left out, a record that is not an object is skipped, and each
 * span is ended even when setting its attributes failed. Past
 * `MAX_RECORDED_STEP_SPANS`, the rest are counted, not traced.
 */
export function recordedStepSpans(telemetry: Telemetry, parent: OtelContext, answer: unknown): { made: number; left: number } {
  let made = 0;
  const records = stepRecords(answer);
  for (let index = 0; index < records.length; index++) {
    const record: unknown = records[index];
    if (typeof record !== "object" || record === null) continue;
    if (made === MAX_RECORDED_STEP_SPANS) return { made, left: records.length - index };
    spanOfRecord(telemetry, parent, record);
    made++;
  }
  return { made, left: 0 };
}

/** The records an answer holds: a trace's `steps`, a step's `attempts`, or one step record. */
function stepRecords(answer: unknown): unknown[] {
  const steps = field(answer, "steps");
  if (Array.isArray(steps)) return steps;
  const attempts = field(answer, "attempts");
  if (Array.isArray(attempts)) return attempts;
  return text(field(answer, "stepId")) === undefined ? [] : [answer];
}

function spanOfRecord(telemetry: Telemetry, parent: OtelContext, record: object): void {
  const { start, end } = timesOf(record);
  const span = telemetry.tracer.startSpan(STEP_SPAN, { kind: SPAN_KIND.internal, startTime: start, attributes: { "noukai.step.id": text(field(record, "stepId")) ?? "" } }, parent);
  try {
    const status = text(field(record, "status"));
    span.setAttributes(finishedStepAttributes(record, status));
    const error = field(record, "errorContext");
    if (status === "completed") span.setStatus({ code: SPAN_STATUS.ok });
    if (status === "failed") {
      span.setAttribute("error.type", text(field(error, "code")) ?? "_OTHER");
      span.setStatus({ code: SPAN_STATUS.error, message: errorMessage(text(field(error, "message")) ?? "the step failed") });
    }
    if (telemetry.payloads) {
      for (const [name, key] of [["noukai.step.input", "inputContext"], ["noukai.step.output", "outputContext"], ["noukai.step.error", "errorContext"]] as const) {
        const value = field(record, key);
        const shown = value === null ? undefined : payloadAttribute(value, telemetry.redact);
        if (shown !== undefined) span.setAttribute(name, shown);
      }
    }
  } finally {
    span.end(end);
  }
}

/** When the step ran, from whichever of its start, end and duration the record has. */
function timesOf(record: object): { start: Date; end: Date } {
  const started = instant(field(record, "startedAt"));
  const completed = instant(field(record, "completedAt"));
  const duration = count(field(record, "durationMs"));
  const start = started ?? (completed !== undefined && duration !== undefined ? new Date(completed.getTime() - duration) : (completed ?? new Date()));
  const end = completed ?? (duration !== undefined ? new Date(start.getTime() + duration) : start);
  return { start, end: end < start ? start : end };
}
