import type {
  CallOptions,
  StreamCallOptions,
  EventsOptions,
  ExecuteAsyncOptions,
  ExecuteOptions,
  ResumeOptions,
  StepsOptions,
  StepTraceOptions,
  SyncToolHandler,
  WaitOptions,
} from "../core/options.js";
import type { StepCompleted, SyncStreamEvent } from "../core/stream-events.js";
import type { ExecuteResult, JobStatus, PausedState, StepAttempts, StepTrace, Trace } from "../core/types.js";

/** A run paused for tool calls, for the blocking client: `resume` returns the next result. */
export interface SyncPausedResult extends PausedState {
  readonly requiresToolCalls: true;
  resume(options: ResumeOptions<SyncToolHandler>): ExecuteResult | SyncPausedResult;
}

/** A flow of the blocking `Noukai` client: every method returns its value. */
export interface Flow {
  readonly org: string;
  readonly project: string;
  readonly slug: string;
  execute(options?: ExecuteOptions<SyncToolHandler>): ExecuteResult | SyncPausedResult;
  resume(state: PausedState, options: ResumeOptions<SyncToolHandler>): ExecuteResult | SyncPausedResult;
  /** Each `next()` blocks until the next step completes. */
  steps(options?: StepsOptions<SyncToolHandler>): IterableIterator<StepCompleted>;
  /** Each `next()` blocks until the next event arrives. */
  events(options?: EventsOptions<SyncToolHandler>): IterableIterator<SyncStreamEvent>;
  executeAsync(options?: ExecuteAsyncOptions): SyncJob;
  job(executionId: string): SyncJob;
  run(executionId: string): SyncRun;
}

export interface SyncJob {
  readonly executionId: string;
  readonly flowId: string | null;
  poll(options?: CallOptions): JobStatus;
  wait(options?: WaitOptions): JobStatus;
}

export interface SyncRun {
  readonly executionId: string;
  trace(options?: CallOptions): Trace;
  stepTrace(stepId: string, options: StepTraceOptions & { attempt: "all" }): StepAttempts;
  stepTrace(stepId: string, options?: StepTraceOptions & { attempt?: "latest" | number }): StepTrace;
  liveTrace(options?: StreamCallOptions): IterableIterator<SyncStreamEvent>;
}
