import { CALL_OPTIONS, checkOptions, WAIT_OPTIONS } from "../../core/check-options.js";
import type { FlowContext } from "../../core/operations/context.js";
import { type JobRef, pollJob, waitJob } from "../../core/operations/jobs.js";
import type { Driver } from "./driver.js";

/** A queued run, for both clients (`Job` and `SyncJob`). */
export class JobApi {
  readonly executionId: string;
  /** The flow's id, as the service reported it at submission; `null` for a re-attached job. */
  readonly flowId: string | null;
  readonly #ref: JobRef;
  readonly #context: FlowContext;
  readonly #driver: Driver;

  constructor(context: FlowContext, driver: Driver, job: { executionId: string; flowId: string | null; graceUntil: number }) {
    this.#context = context;
    this.#driver = driver;
    this.executionId = job.executionId;
    this.flowId = job.flowId;
    this.#ref = { executionId: job.executionId, graceUntil: job.graceUntil };
  }

  /** The job's status now. */
  poll(options?: unknown): unknown {
    return this.#driver.value(() => {
      const checked = checkOptions(options, CALL_OPTIONS, "poll()");
      return { op: pollJob(this.#context, this.#ref, checked), signal: checked["signal"] as AbortSignal | undefined };
    }, identity);
  }

  /** Polls until the job's status is final, or its `timeout` passes. */
  wait(options?: unknown): unknown {
    return this.#driver.value(() => {
      const checked = checkOptions(options, WAIT_OPTIONS, "wait()");
      return { op: waitJob(this.#context, this.#ref, checked), signal: checked["signal"] as AbortSignal | undefined };
    }, identity);
  }

  toJSON(): { executionId: string; flowId: string | null } {
    return { executionId: this.executionId, flowId: this.flowId };
  }
}

function identity<T>(value: T): T {
  return value;
}
