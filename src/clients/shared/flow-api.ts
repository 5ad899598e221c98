import {
  checkOptions,
  EVENTS_OPTIONS,
  EXECUTE_ASYNC_OPTIONS,
  EXECUTE_OPTIONS,
  RESUME_OPTIONS,
  STEPS_OPTIONS,
} from "../../core/check-options.js";
import { checkIdentifier } from "../../core/identifiers.js";
import { execute, resume } from "../../core/operations/execute.js";
import type { FlowContext } from "../../core/operations/context.js";
import { JOB_NOT_FOUND_GRACE_MS, submitJob } from "../../core/operations/jobs.js";
import { stepRun } from "../../core/operations/step-run.js";
import type { PausedState } from "../../core/types.js";
import type { Driver } from "./driver.js";
import { JobApi } from "./job-api.js";
import { presentEvent, presentOutcome } from "./present.js";
import { RunApi } from "./run-api.js";

/**
 * One flow, for both clients: the public `AsyncFlow` and `Flow` types are
 * this class seen through each client's driver.
 */
export class FlowApi {
  readonly org: string;
  readonly project: string;
  readonly slug: string;

  readonly #context: FlowContext;
  readonly #driver: Driver;

  constructor(context: FlowContext, driver: Driver) {
    this.#context = context;
    this.#driver = driver;
    this.org = context.flow.org;
    this.project = context.flow.project;
    this.slug = context.flow.slug;
  }

  execute(options?: unknown): unknown {
    return this.#driver.value(
      () => {
        const checked = checkOptions(options, EXECUTE_OPTIONS, "execute()");
        this.#driver.checkCallback(checked["toolHandler"], "execute() option toolHandler");
        return { op: execute(this.#context, checked), signal: checked["signal"] as AbortSignal | undefined };
      },
      (outcome) => presentOutcome(outcome, (state, next) => this.resume(state, next)),
    );
  }

  resume(state: unknown, options: unknown): unknown {
    return this.#driver.value(
      () => {
        const checked = checkOptions(options, RESUME_OPTIONS, "resume()");
        if (checked["toolResults"] === undefined) throw new TypeError("resume() needs { toolResults }.");
        this.#driver.checkCallback(checked["toolHandler"], "resume() option toolHandler");
        return { op: resume(this.#context, state, checked), signal: checked["signal"] as AbortSignal | undefined };
      },
      (outcome) => presentOutcome(outcome, (paused: PausedState, next) => this.resume(paused, next)),
    );
  }

  steps(options?: unknown): unknown {
    const checked = checkOptions(options, STEPS_OPTIONS, "steps()");
    this.#driver.checkCallback(checked["toolHandler"], "steps() option toolHandler");
    const op = stepRun(this.#context, checked, "steps");
    return this.#driver.stream(op, checked["signal"] as AbortSignal | undefined, (value) => value);
  }

  events(options?: unknown): unknown {
    const checked = checkOptions(options, EVENTS_OPTIONS, "events()");
    this.#driver.checkCallback(checked["toolHandler"], "events() option toolHandler");
    const op = stepRun(this.#context, checked, "events");
    return this.#driver.stream(op, checked["signal"] as AbortSignal | undefined, (value) => presentEvent(this.#driver, value));
  }

  executeAsync(options?: unknown): unknown {
    return this.#driver.value(
      () => {
        const checked = checkOptions(options, EXECUTE_ASYNC_OPTIONS, "executeAsync()");
        return { op: submitJob(this.#context, checked), signal: checked["signal"] as AbortSignal | undefined };
      },
      (accepted) =>
        new JobApi(this.#context, this.#driver, {
          executionId: accepted.executionId,
          flowId: accepted.flowId,
          graceUntil: this.#driver.now() + JOB_NOT_FOUND_GRACE_MS,
        }),
    );
  }

  /** A job submitted earlier (by this process or another one). */
  job(executionId: string): JobApi {
    checkIdentifier(executionId, "executionId");
    return new JobApi(this.#context, this.#driver, { executionId, flowId: null, graceUntil: 0 });
  }

  /** The traces of one run. */
  run(executionId: string): RunApi {
    checkIdentifier(executionId, "executionId");
    return new RunApi(this.#context, this.#driver, executionId);
  }

  toJSON(): { org: string; project: string; slug: string } {
    return { org: this.org, project: this.project, slug: this.slug };
  }
}
