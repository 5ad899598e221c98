import type { ChatMessage, TokenBreakdown, ToolCall, ToolResult } from "./types.js";

/**
 * The events of `events()` and `liveTrace()`: a union discriminated by `type`.
 * `stepIndex` is always flow-absolute and 0-based, stamped by the client.
 */

export interface RunStarted {
  type: "run_started";
  runId?: string;
  executionId?: string;
  flowId?: string;
  stepCount?: number;
  [key: string]: unknown;
}

export interface StepStarted {
  type: "step_started";
  stepId: string;
  name?: string;
  stepIndex: number;
  [key: string]: unknown;
}

export interface StepInput {
  type: "step_input";
  stepId: string;
  inputData?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/**
 * A step's output. Servers name the field `outputData` or `outputContext`
 * (the official sources disagree); the client sets both to the value sent
 * under either, so code written for one name works with every server.
 */
export interface StepOutput {
  type: "step_output";
  stepId: string;
  outputData?: unknown;
  /** The same value as `outputData`. */
  outputContext?: unknown;
  [key: string]: unknown;
}

export interface StepCompleted {
  type: "step_completed";
  stepId: string;
  name?: string;
  /** Flow-absolute index of the step that completed. */
  stepIndex: number;
  output: unknown;
  durationMs?: number;
  tokens?: TokenBreakdown;
  /** A decimal string, e.g. `"0.000150"`: money is never a float. */
  costUsd?: string;
  [key: string]: unknown;
}

export interface StepFailed {
  type: "step_error";
  stepId: string;
  name?: string;
  error?: { code?: string; message?: string; [key: string]: unknown } | null;
  [key: string]: unknown;
}

export interface StepPaused {
  type: "step_paused";
  stepId: string;
  /** Flow-absolute index of the step that just completed. */
  stepIndex: number;
  [key: string]: unknown;
}

export interface ToolCallsRequiredFields {
  type: "tool_calls_required";
  runId?: string;
  executionId: string;
  stepId: string;
  stepIndex: number;
  iterationsUsed: number;
  toolCallMessages: ChatMessage[];
  toolCalls: ToolCall[];
  accumulatedOutputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ResumeArgs {
  toolResults: ToolResult[];
}

/** The flow asks for tool calls; `resume` hands over the results and the stream goes on. */
export interface ToolCallsRequired extends ToolCallsRequiredFields {
  resume(args: ResumeArgs): Promise<void>;
}

/** `ToolCallsRequired` of the blocking client: `resume` returns at once. */
export interface SyncToolCallsRequired extends ToolCallsRequiredFields {
  resume(args: ResumeArgs): void;
}

export interface FlowCompleted {
  type: "flow_completed";
  runId?: string;
  executionId?: string;
  result?: unknown;
  summary?: Record<string, unknown>;
  [key: string]: unknown;
}

export type StreamEvent =
  | RunStarted
  | StepStarted
  | StepInput
  | StepOutput
  | StepCompleted
  | StepFailed
  | StepPaused
  | ToolCallsRequired
  | FlowCompleted;

export type SyncStreamEvent = Exclude<StreamEvent, ToolCallsRequired> | SyncToolCallsRequired;

/** An event of `liveTrace()`: the run's events as recorded, a tool pause among them a record, not something to answer. */
export type LiveTraceEvent = Exclude<StreamEvent, ToolCallsRequired> | ToolCallsRequiredFields;

/** An event as the core produces it, before a client attaches `resume`. */
export type CoreEvent = Exclude<StreamEvent, ToolCallsRequired> | ToolCallsRequiredFields;
