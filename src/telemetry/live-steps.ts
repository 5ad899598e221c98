import type { MiddlewareEvent } from "../core/middleware.js";
import type { OtelContext, OtelSpan } from "../core/telemetry-types.js";
import { errorMessage } from "./error-type.js";
import { SPAN_KIND, SPAN_STATUS } from "./otel-api-shape.js";
import { payloadAttribute } from "./payloads.js";
import { count, field, text, tokensOf } from "./read.js";
import type { Telemetry } from "./setup.js";
import { finishedStepAttributes } from "./step-attributes.js";

export const STEP_SPAN = "noukai.flow.step";

/** Steps a stream may have open at once before the oldest is ended (flows run a few in parallel at most). */
const MAX_OPEN_STEPS = 256;

interface OpenStep {
  readonly span: OtelSpan;
  /** Made when something runs inside the step (a tool handler): most steps never need it. */
  context?: OtelContext;
}

/**
 * A stream's step spans, made live: opened when `step_started` arrives,
 * ended when `step_completed` or `step_error` does, each a child of the
 * call's span. A step that completes or fails without having been seen to
 * start still gets its span; steps left open when the call ends are ended
 * with it.
 */
export class LiveSteps {
  readonly #telemetry: Telemetry;
  readonly #parent: OtelContext;
  readonly #open = new Map<string, OpenStep>();
  /** Tokens of the steps that completed, for the call's span when the run reports no total. */
  readonly usage = { input: 0, output: 0, seen: false };

  constructor(telemetry: Telemetry, parent: OtelContext) {
    this.#telemetry = telemetry;
    this.#parent = parent;
  }

  started(event: MiddlewareEvent): void {
    const stepId = text(event["stepId"]) ?? "";
    // A step started again (a loop's next iteration) closes the one before.
    this.#open.get(stepId)?.span.end();
    this.#open.delete(stepId);
    // A server that starts steps it never ends must not make the client hold spans without bound.
    if (this.#open.size >= MAX_OPEN_STEPS) this.#endOldest();
    this.#open.set(stepId, this.#start(event, stepId));
  }

  input(event: MiddlewareEvent): void {
    if (!this.#telemetry.payloads) return;
    const step = this.#open.get(text(event["stepId"]) ?? "");
    const input = payloadAttribute(event["inputData"], this.#telemetry.redact);
    if (step !== undefined && input !== undefined) step.span.setAttribute("noukai.step.input", input);
  }

  completed(event: MiddlewareEvent): void {
    const { span } = this.#take(event);
    try {
      span.setAttributes(finishedStepAttributes(event, "completed"));
      span.setStatus({ code: SPAN_STATUS.ok });
      const output = this.#telemetry.payloads ? payloadAttribute(event["output"], this.#telemetry.redact) : undefined;
      if (output !== undefined) span.setAttribute("noukai.step.output", output);
      const tokens = tokensOf(event);
      if (tokens.input !== undefined || tokens.output !== undefined) {
        this.usage.input += tokens.input ?? 0;
        this.usage.output += tokens.output ?? 0;
        this.usage.seen = true;
      }
    } finally {
      span.end();
    }
  }

  failed(event: MiddlewareEvent): void {
    const { span } = this.#take(event);
    try {
      const error = event["error"];
      span.setAttributes({ "noukai.step.status": "failed", "error.type": text(field(error, "code")) ?? "_OTHER" });
      span.setStatus({ code: SPAN_STATUS.error, message: errorMessage(text(field(error, "message")) ?? "the step failed") });
      const shown = this.#telemetry.payloads ? payloadAttribute(error ?? undefined, this.#telemetry.redact) : undefined;
      if (shown !== undefined) span.setAttribute("noukai.step.error", shown);
    } finally {
      span.end();
    }
  }

  /** The context of an open step (a tool pause's step), for the spans of what runs inside it. */
  contextOf(stepId: string | undefined): OtelContext | undefined {
    const step = stepId === undefined ? undefined : this.#open.get(stepId);
    if (step === undefined) return undefined;
    return (step.context ??= this.#telemetry.api.trace.setSpan(this.#parent, step.span));
  }

  /** Ends every step still open when the call ends: unfinished, as far as this call saw. */
  endAll(status: string): void {
    for (const { span } of this.#open.values()) {
      span.setAttribute("noukai.step.status", status);
      span.end();
    }
    this.#open.clear();
  }

  #endOldest(): void {
    for (const [stepId, { span }] of this.#open) {
      span.setAttribute("noukai.step.status", "unfinished");
      span.end();
      this.#open.delete(stepId);
      return;
    }
  }

  #take(event: MiddlewareEvent): OpenStep {
    const stepId = text(event["stepId"]) ?? "";
    const open = this.#open.get(stepId);
    if (open === undefined) return this.#start(event, stepId);
    this.#open.delete(stepId);
    return open;
  }

  #start(event: MiddlewareEvent, stepId: string): OpenStep {
    const span = this.#telemetry.tracer.startSpan(
      STEP_SPAN,
      {
        kind: SPAN_KIND.internal,
        attributes: { "noukai.step.id": stepId, "noukai.step.name": text(event["name"]), "noukai.step.index": count(event["stepIndex"]) },
      },
      this.#parent,
    );
    return { span };
  }
}
