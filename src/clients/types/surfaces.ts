import type {
  CallOptions,
  EventsOptions,
  ExecuteAsyncOptions,
  ExecuteOptions,
  ResumeOptions,
  StepsOptions,
  StepTraceOptions,
  StreamCallOptions,
  WaitOptions,
} from "../../core/options.js";
import type { LiveTraceEvent, StepCompleted } from "../../core/stream-events.js";
import type { ExecuteResult, JobStatus, PausedState, StepAttempts, StepTrace, Trace } from "../../core/types.js";
import type { AsyncMode, Mode, Stream, SyncMode, Value } from "./modes.js";

/**
 * The public surface of flows, jobs, runs and paused results, written once
 * for both clients: `AsyncFlow` is `FlowOf<AsyncMode>`, `Flow` is
 * `FlowOf<SyncMode>`. The classes behind them implement these interfaces, so
 * a method declared here and not implemented, or implemented with another
 * type, does not compile.
 */
export interface FlowOf<M extends Mode> {
  readonly org: string;
  readonly project: string;
  readonly slug: string;
  /** Runs the flow to its end (or to a tool pause, without `toolHandler`). */
  execute(options?: ExecuteOptions<M["handler"]>): Value<M, ExecuteResult | M["paused"]>;
  /** Resumes a paused run from its state (a paused result or its JSON). */
  resume(state: PausedState, options: ResumeOptions<M["handler"]>): Value<M, ExecuteResult | M["paused"]>;
  /** Runs the flow step by step, yielding each completed step. */
  steps(options?: StepsOptions<M["handler"]>): Stream<M, StepCompleted>;
  /** Runs the flow step by step, yielding every event. */
  events(options?: EventsOptions<M["handler"]>): Stream<M, M["event"]>;
  /** Queues a run. */
  executeAsync(options?: ExecuteAsyncOptions): Value<M, JobOf<M>>;
  /** A job queued earlier, for instance before a restart. */
  job(executionId: string): JobOf<M>;
  /** The traces of a run. */
  run(executionId: string): RunOf<M>;
}

/** A run paused for tool calls. `JSON.stringify` it to resume elsewhere with `flow.resume(state, …)`. */
export interface PausedResultOf<M extends Mode> extends PausedState {
  /** Always `true`: narrows `ExecuteResult | PausedResult`. Not serialised. */
  readonly requiresToolCalls: true;
  /** Sends the tool results and returns the run's next result. */
  resume(options: ResumeOptions<M["handler"]>): Value<M, ExecuteResult | M["paused"]>;
}

/** A queued run. */
export interface JobOf<M extends Mode> {
  readonly executionId: string;
  /** The flow's id, as the service reported it at submission; `null` for a re-attached job. */
  readonly flowId: string | null;
  /** The job's status now. */
  poll(options?: CallOptions): Value<M, JobStatus>;
  /** Polls until the job's status is final, or its `timeout` passes. */
  wait(options?: WaitOptions): Value<M, JobStatus>;
}

/** The traces of one run. */
export interface RunOf<M extends Mode> {
  readonly executionId: string;
  /** The run and the latest attempt of each of its steps. */
  trace(options?: CallOptions): Value<M, Trace>;
  /** Every attempt of one step. */
  stepTrace(stepId: string, options: StepTraceOptions & { attempt: "all" }): Value<M, StepAttempts>;
  /** One attempt of one step: the latest, or a numbered one. */
  stepTrace(stepId: string, options?: StepTraceOptions & { attempt?: "latest" | number }): Value<M, StepTrace>;
  /** The run's events so far, then live ones, until the run ends. */
  liveTrace(options?: StreamCallOptions): Stream<M, LiveTraceEvent>;
}

/** A flow of `AsyncNoukai`: every call returns a promise, every stream is an async iterator. */
export type AsyncFlow = FlowOf<AsyncMode>;
/** A flow of the blocking `Noukai`: every call returns its value, every stream's `next()` blocks. */
export type Flow = FlowOf<SyncMode>;
export type PausedResult = PausedResultOf<AsyncMode>;
export type SyncPausedResult = PausedResultOf<SyncMode>;
export type Job = JobOf<AsyncMode>;
export type SyncJob = JobOf<SyncMode>;
export type Run = RunOf<AsyncMode>;
export type SyncRun = RunOf<SyncMode>;
