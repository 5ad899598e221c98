import { CALL_OPTIONS, checkOptions, LIVE_TRACE_OPTIONS, STEP_TRACE_OPTIONS } from "../../core/check-options.js";
import { checkIdentifier } from "../../core/identifiers.js";
import type { FlowContext } from "../../core/operations/context.js";
import { liveTrace, runTrace, stepTrace } from "../../core/operations/traces.js";
import type { Driver } from "./driver.js";

/** The traces of one run, for both clients (`Run` and `SyncRun`). */
export class RunApi {
  readonly executionId: string;
  readonly #context: FlowContext;
  readonly #driver: Driver;

  constructor(context: FlowContext, driver: Driver, executionId: string) {
    this.#context = context;
    this.#driver = driver;
    this.executionId = executionId;
  }

  /** The run and the latest attempt of each of its steps. */
  trace(options?: unknown): unknown {
    return this.#driver.value(() => {
      const checked = checkOptions(options, CALL_OPTIONS, "trace()");
      return {
        op: runTrace(this.#context, this.executionId, checked),
        signal: checked["signal"] as AbortSignal | undefined,
      };
    }, identity);
  }

  /** One step: its latest attempt, a numbered one, or all of them (`attempt: "all"`). */
  stepTrace(stepId: string, options?: unknown): unknown {
    return this.#driver.value(() => {
      checkIdentifier(stepId, "stepId");
      const checked = checkOptions(options, STEP_TRACE_OPTIONS, "stepTrace()");
      return {
        op: stepTrace(this.#context, this.executionId, stepId, checked),
        signal: checked["signal"] as AbortSignal | undefined,
      };
    }, identity);
  }

  /** The run's events so far, then live ones, until the run ends. */
  liveTrace(options?: unknown): unknown {
    const checked = checkOptions(options, LIVE_TRACE_OPTIONS, "liveTrace()");
    return this.#driver.stream(liveTrace(this.#context, this.executionId, checked), checked["signal"] as AbortSignal | undefined, identity);
  }

  toJSON(): { executionId: string } {
    return { executionId: this.executionId };
  }
}

function identity<T>(value: T): T {
  return value;
}
