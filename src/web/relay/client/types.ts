import type { MessageInput } from "../../../core/options.js";
import type { FlowCompleted, ResumeArgs, RunStarted, StepCompleted, StepFailed, StepOutput, StepPaused, StepStarted } from "../../../core/stream-events.js";
import type { ToolCall, ToolChoice, ToolDefinition, ToolResult } from "../../../core/types.js";

/** Options of `createRelayFlow`. */
export interface RelayFlowOptions {
  /** The relay's URL (absolute, or relative to the page). */
  url: string | URL;
  /** A `fetch` to send requests with (default the global one). */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds a whole answer may take, and a stream may stay silent (default 300000). */
  timeout?: number;
  /** Headers sent with every request (a CSRF token, an Authorization header for `authorize`), or a function that gives them. */
  headers?: Record<string, string> | (() => Record<string, string>);
}

/** Answers a round of tool calls in the page. */
export type RelayToolHandler = (toolCalls: ToolCall[]) => ToolResult[] | Promise<ToolResult[]>;

export interface RelayCallOptions {
  /** Cancels the call (`APIUserAbortError`). */
  signal?: AbortSignal;
  /** Overrides the flow's `timeout` for this call, in milliseconds (`APITimeoutError`). */
  timeout?: number;
}

export interface RelayToolOptions {
  /** Answers tool calls in the page; without it, `execute` returns a `RelayPausedResult`. */
  toolHandler?: RelayToolHandler;
  /** Rounds of tool calls answered before `ToolCallLimitError` (default 10). */
  maxToolRounds?: number;
}

/** The input of a run through a relay: what the relay lets a browser send. */
export type RelayRunOptions = MessageInput &
  RelayCallOptions &
  RelayToolOptions & {
    /** Sent only if the relay allows it (`browserFields`). */
    tools?: ToolDefinition[];
    /** Sent only if the relay allows it (`browserFields`). */
    toolChoice?: ToolChoice;
  };

export interface RelayResumeOptions extends RelayCallOptions, RelayToolOptions {
  toolResults: ToolResult[];
}

/** A finished run: completed, or failed (a failed run is a result, as with `AsyncFlow`). */
export interface RelayResult {
  status: "completed" | "failed";
  result: unknown;
  executionId: string | undefined;
  flowId: string;
  blockCount: number;
  /** Always false: narrows `RelayResult | RelayPausedResult`. Not serialised. */
  readonly requiresToolCalls: false;
}

/** What a paused run is for the page: the calls to answer and the opaque token that resumes it. JSON-serialisable. */
export interface RelayPausedState {
  status: "tool_calls_required";
  toolCalls: ToolCall[];
  token: string;
  /** ISO 8601: the relay refuses the token after this. */
  expiresAt: string;
}

export interface RelayPausedResult extends RelayPausedState {
  /** Always true. Not serialised. */
  readonly requiresToolCalls: true;
  /** Sends the tool results through the relay and returns the run's next result. */
  resume(options: RelayResumeOptions): Promise<RelayResult | RelayPausedResult>;
}

/** A tool pause in a relayed stream: answer it with `resume` before asking for the next event (or give `toolHandler`). */
export interface RelayToolCallsRequired {
  type: "tool_calls_required";
  stepId: string;
  stepIndex: number;
  toolCalls: ToolCall[];
  token: string;
  expiresAt: string;
  resume(args: ResumeArgs): Promise<void>;
}

/** The events a relay streams: the run's, without its execution state. */
export type RelayEvent = RunStarted | StepStarted | StepOutput | StepCompleted | StepFailed | StepPaused | RelayToolCallsRequired | FlowCompleted;

/** The flow a relay runs, from the browser: the surface of `AsyncFlow` that makes sense without a key. */
export interface RelayFlow {
  /** Runs the flow to its end (or to a tool pause, without `toolHandler`). */
  execute(options: RelayRunOptions): Promise<RelayResult | RelayPausedResult>;
  /** Resumes a paused run from its state (a paused result or its JSON). */
  resume(state: RelayPausedState, options: RelayResumeOptions): Promise<RelayResult | RelayPausedResult>;
  /** Runs the flow, yielding each completed step as the relay streams it. */
  steps(options: RelayRunOptions): AsyncIterableIterator<StepCompleted>;
  /** Runs the flow, yielding every event as the relay streams it. */
  events(options: RelayRunOptions): AsyncIterableIterator<RelayEvent>;
}
