import { CALL_OPTIONS, checkOptions, LIVE_TRACE_OPTIONS, STEP_TRACE_OPTIONS } from "../../core/check-options.js";
import { checkIdentifier } from "../../core/identifiers.js";
import type { FlowContext } from "../../core/operations/context.js";
import { liveTrace, runTrace, stepTrace } from "../../core/operations/traces.js";
import type { CallOptions, StepTraceOptions, StreamCallOptions } from "../../core/options.js";
import type { LiveTraceEvent } from "../../core/stream-events.js";
import type { StepAttempts, StepTrace, Trace } from "../../core/types.js";
import type { Mode, Stream, Value } from "../types/modes.js";
import type { RunOf } from "../types/surfaces.js";
import type { Driver } from "./driver.js";
import { same } from "./job-api.js";

/** The traces of one run, for both clients (`Run` and `SyncRun`). */
export class RunApi<M extends Mode> implements RunOf<M> {
  readonly executionId: string;
  readonly #context: FlowContext;
  readonly #driver: Driver<M>;

  constructor(context: FlowContext, driver: Driver<M>, executionId: string) {
    this.#context = context;
    this.#driver = driver;
    this.executionId = executionId;
  }

  trace(options?: CallOptions): Value<M, Trace> {
    return this.#driver.value(() => {
      const checked = checkOptions(options, CALL_OPTIONS, "trace()");
      return { op: runTrace(this.#context, this.executionId, checked), signal: checked.signal };
    }, same);
  }

  stepTrace(stepId: string, options: StepTraceOptions & { attempt: "all" }): Value<M, StepAttempts>;
  stepTrace(stepId: string, options?: StepTraceOptions & { attempt?: "latest" | number }): Value<M, StepTrace>;
  stepTrace(stepId: string, options?: StepTraceOptions): Value<M, StepTrace | StepAttempts> {
    return this.#driver.value(() => {
      checkIdentifier(stepId, "stepId");
      const checked = checkOptions(options, STEP_TRACE_OPTIONS, "stepTrace()");
      return { op: stepTrace(this.#context, this.executionId, stepId, checked), signal: checked.signal };
    }, same);
  }

  liveTrace(options?: StreamCallOptions): Stream<M, LiveTraceEvent> {
    const checked = checkOptions(options, LIVE_TRACE_OPTIONS, "liveTrace()");
    return this.#driver.stream(liveTrace(this.#context, this.executionId, checked), checked.signal, same);
  }

  toJSON(): { executionId: string } {
    return { executionId: this.executionId };
  }
}
