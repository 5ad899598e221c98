import {
  checkOptions,
  EVENTS_OPTIONS,
  EXECUTE_ASYNC_OPTIONS,
  EXECUTE_OPTIONS,
  RESUME_OPTIONS,
  STEPS_OPTIONS,
} from "../../core/check-options.js";
import { checkIdentifier } from "../../core/identifiers.js";
import type { FlowContext } from "../../core/operations/context.js";
import { execute, type ExecuteOutcome, resume } from "../../core/operations/execute.js";
import { JOB_NOT_FOUND_GRACE_MS, submitJob } from "../../core/operations/jobs.js";
import { stepRun, type StepRunEvent } from "../../core/operations/step-run.js";
import type { EventsOptions, ExecuteAsyncOptions, ExecuteOptions, ResumeOptions, StepsOptions } from "../../core/options.js";
import type { StepCompleted } from "../../core/stream-events.js";
import type { ExecuteResult, PausedState } from "../../core/types.js";
import type { Mode, Stream, Value } from "../types/modes.js";
import type { FlowOf, JobOf, RunOf } from "../types/surfaces.js";
import type { Driver } from "./driver.js";
import { JobApi } from "./job-api.js";
import { RunApi } from "./run-api.js";

/**
 * One flow, for both clients: `AsyncFlow` and `Flow` are this class with
 * each client's mode, run by that client's driver.
 */
export class FlowApi<M extends Mode> implements FlowOf<M> {
  readonly org: string;
  readonly project: string;
  readonly slug: string;
  readonly #context: FlowContext;
  readonly #driver: Driver<M>;

  constructor(context: FlowContext, driver: Driver<M>) {
    this.#context = context;
    this.#driver = driver;
    this.org = context.flow.org;
    this.project = context.flow.project;
    this.slug = context.flow.slug;
  }

  execute(options?: ExecuteOptions<M["handler"]>): Value<M, ExecuteResult | M["paused"]> {
    return this.#driver.value(
      () => {
        const checked = checkOptions(options, EXECUTE_OPTIONS, "execute()");
        this.#driver.checkCallback(checked.toolHandler, "execute() option toolHandler");
        return { op: execute(this.#context, checked), signal: checked.signal };
      },
      (outcome) => this.#present(outcome),
    );
  }

  resume(state: PausedState, options: ResumeOptions<M["handler"]>): Value<M, ExecuteResult | M["paused"]> {
    return this.#driver.value(
      () => {
        const checked = checkOptions(options, RESUME_OPTIONS, "resume()");
        // `undefined` is refused as well as a missing key: JavaScript callers can pass either.
        if (checked.toolResults === undefined) throw new TypeError("resume() needs { toolResults }.");
        this.#driver.checkCallback(checked.toolHandler, "resume() option toolHandler");
        return { op: resume(this.#context, state, checked), signal: checked.signal };
      },
      (outcome) => this.#present(outcome),
    );
  }

  steps(options?: StepsOptions<M["handler"]>): Stream<M, StepCompleted> {
    const checked = checkOptions(options, STEPS_OPTIONS, "steps()");
    this.#driver.checkCallback(checked.toolHandler, "steps() option toolHandler");
    return this.#driver.stream(stepRun(this.#context, checked, "steps"), checked.signal, (step) => step);
  }

  events(options?: EventsOptions<M["handler"]>): Stream<M, M["event"]> {
    const checked = checkOptions(options, EVENTS_OPTIONS, "events()");
    this.#driver.checkCallback(checked.toolHandler, "events() option toolHandler");
    return this.#driver.stream(stepRun(this.#context, checked, "events"), checked.signal, (event) => this.#presentEvent(event));
  }

  executeAsync(options?: ExecuteAsyncOptions): Value<M, JobOf<M>> {
    return this.#driver.value(
      () => {
        const checked = checkOptions(options, EXECUTE_ASYNC_OPTIONS, "executeAsync()");
        return { op: submitJob(this.#context, checked), signal: checked.signal };
      },
      (accepted): JobOf<M> =>
        new JobApi(this.#context, this.#driver, {
          executionId: accepted.executionId,
          flowId: accepted.flowId,
          graceUntil: this.#driver.now() + JOB_NOT_FOUND_GRACE_MS,
        }),
    );
  }

  job(executionId: string): JobOf<M> {
    checkIdentifier(executionId, "executionId");
    return new JobApi(this.#context, this.#driver, { executionId, flowId: null, graceUntil: 0 });
  }

  run(executionId: string): RunOf<M> {
    checkIdentifier(executionId, "executionId");
    return new RunApi(this.#context, this.#driver, executionId);
  }

  toJSON(): { org: string; project: string; slug: string } {
    return { org: this.org, project: this.project, slug: this.slug };
  }

  /** A paused run gets this client's `resume`; a finished one is handed over as it is. */
  #present(outcome: ExecuteOutcome): ExecuteResult | M["paused"] {
    if (outcome.status !== "tool_calls_required") return outcome;
    return this.#driver.pausedResult(outcome, (next) => this.resume(outcome, next));
  }

  #presentEvent(event: StepRunEvent): M["event"] {
    return event.type === "tool_calls_required" ? this.#driver.toolPause(event) : event;
  }
}
