import { type CallEnd, type CallInfo, FIXED_HEADERS, type IncomingResponse, type MiddlewareEvent, type Operation, type OutgoingRequest, type RetryInfo, type ToolHandlerEnd } from "../core/middleware.js";
import type { OtelAttributes, OtelContext, OtelSpan } from "../core/telemetry-types.js";
import type { ToolCall } from "../core/types.js";
import { errorMessage, errorType } from "./error-type.js";
import { LiveSteps } from "./live-steps.js";
import { recordCall } from "./metrics.js";
import { SPAN_KIND, SPAN_STATUS } from "./otel-api-shape.js";
import { payloadAttribute } from "./payloads.js";
import { field, text, tokensOf } from "./read.js";
import { recordedStepSpans } from "./recorded-steps.js";
import type { Telemetry } from "./setup.js";
import { startToolSpans } from "./tool-spans.js";

/** Span names: the official SDK's for execute and executeAsync (dashboards query them), the same pattern for the rest. */
const SPAN_NAMES: Readonly<Record<Operation, string>> = {
  execute: "noukai.flow.execute",
  resume: "noukai.flow.resume",
  steps: "noukai.flow.steps",
  events: "noukai.flow.events",
  executeAsync: "noukai.flow.execute_async",
  poll: "noukai.job.poll",
  wait: "noukai.job.wait",
  trace: "noukai.run.trace",
  stepTrace: "noukai.run.step_trace",
  liveTrace: "noukai.run.live_trace",
};

/** The calls that start or continue a run: a remote agent's invocation, in the GenAI conventions. */
const RUN_OPERATIONS: ReadonlySet<Operation> = new Set(["execute", "resume", "steps", "events", "executeAsync"]);

/** A run status the service ends a run with as a failure. */
const FAILED = "failed";

/** What a call's span knows of the run, when the call ends. */
interface RunFacts {
  executionId?: string;
  /** The failing step's error, from a stream's `step_error`. */
  stepError?: { type: string; message: string };
  /** The step a tool pause happened in. */
  pausedStep?: string | undefined;
  /** The run's totals, from `flow_completed`. */
  totals?: { input: number | undefined; output: number | undefined; costUsd: string | undefined };
  /** The result, from `flow_completed` (for a payload attribute). */
  result?: unknown;
  completed?: boolean;
}

/**
 * The CLIENT span of one SDK call, and everything under it: made when the
 * call starts, as a child of the caller's active span; its context goes out
 * on every request (`traceparent`), parents the call's step and tool spans,
 * and it ends when the call does, OK or ERROR.
 */
export class CallSpan {
  readonly #telemetry: Telemetry;
  readonly #call: CallInfo;
  readonly #span: OtelSpan;
  readonly #context: OtelContext;
  readonly #startedAt = performance.now();
  /** Made at the first step event: most calls have none. */
  #liveSteps: LiveSteps | undefined;
  readonly #run: RunFacts = {};
  #requests = 0;
  #retries = 0;
  #status: number | undefined;
  /** When this call's answer is a trace fetched for another call's steps (`otelSteps`), that call's context. */
  #stepsFor: OtelContext | undefined;

  constructor(telemetry: Telemetry, call: CallInfo, parent: OtelContext) {
    this.#telemetry = telemetry;
    this.#call = call;
    const { org, project, slug } = call.flow;
    const attributes: OtelAttributes = {
      "noukai.org": org,
      "noukai.project": project,
      "noukai.flow.slug": slug,
      "server.address": telemetry.server.address,
      "server.port": telemetry.server.port,
    };
    if (RUN_OPERATIONS.has(call.operation)) {
      attributes["gen_ai.operation.name"] = "invoke_agent";
      attributes["gen_ai.provider.name"] = "noukai";
      attributes["gen_ai.agent.name"] = `${org}/${project}/${slug}`;
    }
    this.#span = telemetry.tracer.startSpan(SPAN_NAMES[call.operation], { kind: SPAN_KIND.client, attributes }, parent);
    this.#context = telemetry.api.trace.setSpan(parent, this.#span);
  }

  get #steps(): LiveSteps {
    return (this.#liveSteps ??= new LiveSteps(this.#telemetry, this.#context));
  }

  /** The context under which this call's children go. */
  get context(): OtelContext {
    return this.#context;
  }

  /** Marks this call as fetching a trace for another call's step spans, which then go under that call. */
  fetchesStepsFor(context: OtelContext): void {
    this.#stepsFor = context;
  }

  /** Before each request: the request's facts (the first time), and the call's context in its headers. */
  request(request: OutgoingRequest): void {
    if (this.#requests++ === 0) this.#firstRequest(request);
    const carrier: Record<string, string> = {};
    this.#telemetry.api.propagation.inject(this.#context, carrier);
    // What a propagator adds is bounded: past a server's header limit, the call itself would be refused (431).
    let room = MAX_PROPAGATED_CHARS;
    for (const [name, value] of Object.entries(carrier)) {
      if (!isHeader(name, value) || name.length + value.length > room) continue;
      room -= name.length + value.length;
      request.headers[name.toLowerCase()] = value;
    }
  }

  response(response: IncomingResponse): void {
    this.#status = response.status;
    // The chain names a middleware `"its name"`, or `#2` when it has none.
    if (response.answeredBy !== undefined) this.#span.setAttribute("noukai.answered_by", response.answeredBy.replace(/^"(.*)"$/, "$1"));
    if (response.status < 200 || response.status >= 300) return;
    const body = response.body;
    this.#noteExecution(field(body, "executionId"));
    this.#agent(field(body, "flowId"));
    if (text(field(body, "status")) === "tool_calls_required") this.#run.pausedStep = text(field(body, "pausedAtStep"));
    const operation = this.#call.operation;
    if (operation === "trace" || operation === "stepTrace") {
      const { left } = recordedStepSpans(this.#telemetry, this.#stepsFor ?? this.#context, body);
      if (left > 0) this.#span.setAttribute("noukai.trace.steps_not_traced", left);
    }
  }

  event(event: MiddlewareEvent): void {
    switch (event.type) {
      case "run_started":
        this.#noteExecution(event["executionId"]);
        this.#agent(event["flowId"]);
        return;
      case "step_started":
        return this.#steps.started(event);
      case "step_input":
        return this.#steps.input(event);
      case "step_completed":
        return this.#steps.completed(event);
      case "step_error": {
        const error = event["error"];
        this.#run.stepError = { type: text(field(error, "code")) ?? "STEP_FAILED", message: text(field(error, "message")) ?? `step ${text(event["stepId"]) ?? ""} failed` };
        return this.#steps.failed(event);
      }
      case "tool_calls_required":
        this.#noteExecution(event["executionId"]);
        this.#run.pausedStep = text(event["stepId"]);
        return;
      case "flow_completed": {
        this.#noteExecution(event["executionId"]);
        this.#run.completed = true;
        this.#run.result = event["result"];
        const summary = event["summary"];
        this.#run.totals = { ...tokensOf(summary), costUsd: text(field(summary, "costUsd")) };
        return;
      }
      default:
        return;
    }
  }

  retry(retry: RetryInfo): void {
    this.#retries++;
    const reason = retry.reason;
    this.#span.addEvent("noukai.retry", {
      "noukai.retry.attempt": retry.attempt,
      "noukai.retry.delay_ms": retry.delayMs,
      ...("status" in reason ? { "http.response.status_code": reason.status } : { "error.type": "connection", "noukai.retry.reason": reason.connection }),
    });
  }

  /** A tool handler run: its spans, under the step that asked for the tools when a stream showed it. */
  tools(toolCalls: readonly ToolCall[]): (end: ToolHandlerEnd) => void {
    const stepId = this.#run.pausedStep;
    return startToolSpans(this.#telemetry, toolCalls, this.#liveSteps?.contextOf(stepId) ?? this.#context, stepId);
  }

  /** The call ended: its outcome on the span, the steps it left open ended, the span ended. Returns the run it ended, if any. */
  end(end: CallEnd): { executionId: string; context: OtelContext } | undefined {
    const attributes: OtelAttributes = {};
    if (this.#retries > 0) attributes["http.request.resend_count"] = this.#retries;
    if (this.#status !== undefined) attributes["http.response.status_code"] = this.#status;
    const tokens = this.#tokens();
    attributes["gen_ai.usage.input_tokens"] = tokens.input;
    attributes["gen_ai.usage.output_tokens"] = tokens.output;
    attributes["noukai.flow.cost_usd"] = this.#run.totals?.costUsd;
    const failure = this.#outcome(end, attributes);
    this.#liveSteps?.endAll(end.outcome === "abandoned" ? "abandoned" : "unfinished");
    if (this.#telemetry.payloads && end.outcome === "value") {
      const shown = payloadAttribute(this.#run.result ?? field(end.value, "result"), this.#telemetry.redact);
      if (shown !== undefined) attributes["noukai.flow.result"] = shown;
    }
    this.#span.setAttributes(attributes);
    this.#span.end();
    if (this.#telemetry.metrics !== undefined && RUN_OPERATIONS.has(this.#call.operation)) {
      const seconds = (performance.now() - this.#startedAt) / 1000;
      recordCall(this.#telemetry.metrics, seconds, this.#metricAttributes(failure), tokens);
    }
    const executionId = this.#run.executionId;
    const ended = end.outcome === "value" && (text(field(end.value, "status")) === "completed" || text(field(end.value, "status")) === FAILED);
    return ended && executionId !== undefined ? { executionId, context: this.#context } : undefined;
  }

  /** Sets the span's status from how the call ended; returns the error type when it failed. */
  #outcome(end: CallEnd, attributes: OtelAttributes): string | undefined {
    if (end.outcome === "abandoned") {
      // The caller left a stream early: nothing failed, and nothing is known to have succeeded.
      attributes["noukai.stream.abandoned"] = true;
      return undefined;
    }
    if (end.outcome === "error") {
      const type = errorType(end.error);
      attributes["error.type"] = type;
      if (end.error instanceof Error) this.#span.recordException(end.error);
      this.#span.setStatus({ code: SPAN_STATUS.error, message: errorMessage(end.error) });
      return type;
    }
    const value = end.value;
    this.#noteExecution(field(value, "executionId"));
    const status = text(field(value, "status")) ?? (this.#run.completed === true ? "completed" : this.#run.stepError !== undefined ? FAILED : undefined);
    attributes["noukai.flow.status"] = status;
    // A failed run fails the calls that ran or awaited it; one that only looked (a poll, a live trace) did what it was for.
    if (status !== FAILED || !(RUN_OPERATIONS.has(this.#call.operation) || this.#call.operation === "wait")) {
      this.#span.setStatus({ code: SPAN_STATUS.ok });
      return undefined;
    }
    // A failed run is a result, not an exception, but the call did not do what it was for.
    const type = this.#run.stepError?.type ?? "FLOW_FAILED";
    attributes["error.type"] = type;
    const message = this.#run.stepError?.message ?? text(field(value, "error")) ?? "the run failed";
    this.#span.setStatus({ code: SPAN_STATUS.error, message: errorMessage(message) });
    return type;
  }

  #firstRequest(request: OutgoingRequest): void {
    const { path, method, headers } = request;
    const attributes: OtelAttributes = { "http.request.method": method, "url.full": `${this.#telemetry.server.base}${path}` };
    if (RUN_OPERATIONS.has(this.#call.operation)) {
      attributes["noukai.flow.version"] = versionOf(path);
      attributes["gen_ai.agent.version"] = attributes["noukai.flow.version"];
    }
    const session = headers["x-session-id"];
    if (session !== undefined) attributes["gen_ai.conversation.id"] = session;
    if (this.#telemetry.payloads && request.body !== undefined) attributes["noukai.request.body"] = payloadAttribute(request.body, this.#telemetry.redact);
    this.#span.setAttributes(attributes);
  }

  #noteExecution(value: unknown): void {
    const executionId = text(value);
    if (executionId === undefined || executionId === this.#run.executionId) return;
    this.#run.executionId = executionId;
    this.#span.setAttribute("noukai.execution_id", executionId);
  }

  /** The flow's id, the GenAI agent's, on a call that runs it. */
  #agent(flowId: unknown): void {
    const id = text(flowId);
    if (id !== undefined && RUN_OPERATIONS.has(this.#call.operation)) this.#span.setAttribute("gen_ai.agent.id", id);
  }

  /** The run's tokens: its totals when it reported them, else the sum of its steps', else unknown. */
  #tokens(): { input: number | undefined; output: number | undefined } {
    const totals = this.#run.totals;
    if (totals !== undefined && (totals.input !== undefined || totals.output !== undefined)) return totals;
    const usage = this.#liveSteps?.usage;
    return usage?.seen === true ? { input: usage.input, output: usage.output } : { input: undefined, output: undefined };
  }

  #metricAttributes(failure: string | undefined): OtelAttributes {
    return {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "noukai",
      "server.address": this.#telemetry.server.address,
      "server.port": this.#telemetry.server.port,
      "error.type": failure,
    };
  }
}

/** The version a run-starting path names: `…/v0/execute` is the draft, `…/v3/execute` version 3, none the production one. */
function versionOf(path: string): string {
  // /seq/{org}/{project}/{slug}[/vN]/{operation}
  const segments = (path.split("?")[0] ?? "").split("/");
  const match = segments.length === 7 ? /^v(\d+)$/.exec(segments[5] ?? "") : null;
  if (match === null) return "production";
  return match[1] === "0" ? "draft" : (match[1] ?? "production");
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * What a propagator may add: headers it can carry, never one the client owns
 * (nor the session, which a scope or the caller sets): a bad propagator must
 * not fail the call.
 */
/** The most characters a propagator's headers may add to a request, names and values together (servers commonly allow 8 to 16 KiB of headers in all). */
const MAX_PROPAGATED_CHARS = 4_096;

function isHeader(name: string, value: unknown): value is string {
  const lower = name.toLowerCase();
  return typeof value === "string" && HEADER_NAME.test(name) && HEADER_VALUE.test(value) && !FIXED_HEADERS.has(lower) && lower !== "x-session-id";
}
