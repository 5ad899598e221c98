import type {
  CallOptions,
  StreamCallOptions,
  EventsOptions,
  ExecuteAsyncOptions,
  ExecuteOptions,
  ResumeOptions,
  StepsOptions,
  StepTraceOptions,
  WaitOptions,
} from "../core/options.js";
import type { StepCompleted, StreamEvent } from "../core/stream-events.js";
import type { ExecuteResult, JobStatus, PausedState, StepAttempts, StepTrace, Trace } from "../core/types.js";

/** A run paused for tool calls. `JSON.stringify` it to resume elsewhere with `flow.resume(state, …)`. */
export interface PausedResult extends PausedState {
  /** Always `true`: narrows `ExecuteResult | PausedResult`. Not serialised. */
  readonly requiresToolCalls: true;
  /** Sends the tool results and returns the run's next result. */
  resume(options: ResumeOptions): Promise<ExecuteResult | PausedResult>;
}

/** A flow of `AsyncNoukai`. */
export interface AsyncFlow {
  readonly org: string;
  readonly project: string;
  readonly slug: string;
  /** Runs the flow to its end (or to a tool pause, without `toolHandler`). */
  execute(options?: ExecuteOptions): Promise<ExecuteResult | PausedResult>;
  /** Resumes a paused run from its state (a `PausedResult` or its JSON). */
  resume(state: PausedState, options: ResumeOptions): Promise<ExecuteResult | PausedResult>;
  /** Runs the flow step by step, yielding each completed step. */
  steps(options?: StepsOptions): AsyncIterableIterator<StepCompleted>;
  /** Runs the flow step by step, yielding every event. */
  events(options?: EventsOptions): AsyncIterableIterator<StreamEvent>;
  /** Queues a run. */
  executeAsync(options?: ExecuteAsyncOptions): Promise<Job>;
  /** A job queued earlier, for instance before a restart. */
  job(executionId: string): Job;
  /** The traces of a run. */
  run(executionId: string): Run;
}

/** A queued run of `AsyncNoukai`. */
export interface Job {
  readonly executionId: string;
  readonly flowId: string | null;
  poll(options?: CallOptions): Promise<JobStatus>;
  wait(options?: WaitOptions): Promise<JobStatus>;
}

/** The traces of one run, for `AsyncNoukai`. */
export interface Run {
  readonly executionId: string;
  trace(options?: CallOptions): Promise<Trace>;
  stepTrace(stepId: string, options: StepTraceOptions & { attempt: "all" }): Promise<StepAttempts>;
  stepTrace(stepId: string, options?: StepTraceOptions & { attempt?: "latest" | number }): Promise<StepTrace>;
  liveTrace(options?: StreamCallOptions): AsyncIterableIterator<StreamEvent>;
}
