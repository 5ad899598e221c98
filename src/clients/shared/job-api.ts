import { CALL_OPTIONS, checkOptions, WAIT_OPTIONS } from "../../core/check-options.js";
import type { FlowContext } from "../../core/operations/context.js";
import { type JobRef, pollJob, waitJob } from "../../core/operations/jobs.js";
import type { CallOptions, WaitOptions } from "../../core/options.js";
import type { JobStatus } from "../../core/types.js";
import type { Mode, Value } from "../types/modes.js";
import type { JobOf } from "../types/surfaces.js";
import type { Driver } from "./driver.js";

/** A queued run, for both clients (`Job` and `SyncJob`). */
export class JobApi<M extends Mode> implements JobOf<M> {
  readonly executionId: string;
  readonly flowId: string | null;
  readonly #ref: JobRef;
  readonly #context: FlowContext;
  readonly #driver: Driver<M>;

  constructor(context: FlowContext, driver: Driver<M>, job: { executionId: string; flowId: string | null; graceUntil: number }) {
    this.#context = context;
    this.#driver = driver;
    this.executionId = job.executionId;
    this.flowId = job.flowId;
    this.#ref = { executionId: job.executionId, graceUntil: job.graceUntil };
  }

  poll(options?: CallOptions): Value<M, JobStatus> {
    return this.#driver.value(() => {
      const checked = checkOptions(options, CALL_OPTIONS, "poll()");
      return { op: pollJob(this.#context, this.#ref, checked), signal: checked.signal };
    }, same);
  }

  wait(options?: WaitOptions): Value<M, JobStatus> {
    return this.#driver.value(() => {
      const checked = checkOptions(options, WAIT_OPTIONS, "wait()");
      return { op: waitJob(this.#context, this.#ref, checked), signal: checked.signal };
    }, same);
  }

  toJSON(): { executionId: string; flowId: string | null } {
    return { executionId: this.executionId, flowId: this.flowId };
  }
}

/** Hands a value over unchanged. */
export function same<T>(value: T): T {
  return value;
}
