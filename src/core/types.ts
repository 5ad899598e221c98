/**
 * Public data types shared by both clients: messages, tool calls, results,
 * jobs, traces. Option types live in ./options.ts, event types in
 * ./stream-events.ts.
 */

/** A chat message as the service takes it (`messages`), OpenAI style. */
export interface ChatMessage {
  role: "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  [key: string]: unknown;
}

/** A call the flow asks the caller's code to make. `arguments` is JSON text. */
export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  [key: string]: unknown;
}

/**
 * The answer to one tool call. Any of these spellings is accepted; the client
 * always sends `{ role: "tool", tool_call_id, content }`, JSON-encoding a
 * non-string output.
 */
export type ToolResult =
  | { toolCallId: string; output: unknown }
  | { tool_call_id: string; output: unknown }
  | { role?: "tool"; tool_call_id: string; content: unknown }
  | { role?: "tool"; toolCallId: string; content: unknown };

/** An OpenAI-style tool definition, sent as given. */
export type ToolDefinition = Record<string, unknown>;

/** `"auto" | "none" | "required"` or an object naming a function; sent as given. */
export type ToolChoice = "auto" | "none" | "required" | Record<string, unknown>;

export interface TokenBreakdown {
  prompt: number;
  completion: number;
  total: number;
}

/** A finished run: `completed`, or `failed` (a failed run is a result, not an exception). */
export interface ExecuteResult {
  status: "completed" | "failed";
  result: unknown;
  executionId: string | undefined;
  flowId: string;
  blockCount: number;
  /** The `X-Session-Id` the run was tagged with, when there was one. */
  sessionId?: string;
  /** Always `false`: narrows `ExecuteResult | PausedResult`. Not serialised. */
  readonly requiresToolCalls: false;
}

/** What a paused run needs to be resumed, here or in another process (it is JSON). */
export interface PausedState {
  status: "tool_calls_required";
  executionId: string;
  pausedAtStep: string;
  iterationsUsed: number;
  toolCallMessages: ChatMessage[];
  toolCalls: ToolCall[];
  accumulatedOutputs: Record<string, unknown>;
  flowId: string;
  blockCount: number;
  sessionId?: string;
  /** `"org/project/slug"` of the paused flow. */
  flow: string;
  /** The original call's settings that every resume repeats. */
  request: ResumeRequest;
}

/** The settings of the original call that a resume sends again. */
export interface ResumeRequest {
  version: "production" | "draft" | number;
  parameters?: Record<string, unknown>;
  blockOverrides?: Record<string, Record<string, unknown>>;
  attachments?: Record<string, unknown>[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  trace: boolean;
}

export interface JobAccepted {
  executionId: string;
  status: string;
  flowId: string;
  blockCount: number;
}

/** A job's state. A status other than `pending` or `running` is final (`cancelled` included). */
export interface JobStatus {
  executionId: string;
  status: "pending" | "running" | "completed" | "failed" | (string & {});
  result?: unknown;
  error?: string | null;
}

export interface StepTrace {
  stepId: string;
  attempt: number;
  loopIndex?: number | null;
  status: "running" | "completed" | "failed" | "skipped" | (string & {});
  startedAt?: string;
  completedAt?: string;
  durationMs?: number;
  modelUsed?: string;
  tokens?: TokenBreakdown;
  costUsd?: string;
  inputContext?: Record<string, unknown>;
  outputContext?: Record<string, unknown>;
  errorContext?: Record<string, unknown>;
  inputSizeBytes?: number;
  outputSizeBytes?: number;
  truncated?: boolean;
}

export interface RunSummary {
  id: string;
  flowId: string;
  status: string;
  triggerType?: string;
  startedAt?: string;
  completedAt?: string;
  durationMs?: number;
  stepCount?: number;
}

export interface Trace {
  flowRun: RunSummary;
  steps: StepTrace[];
}

export interface StepAttempts {
  stepId: string;
  attempts: StepTrace[];
}

/**
 * A captured session (`GET /seq/sessions/{id}`): the executions tagged with
 * its id, in the order they started. Keys the service sends in snake_case are
 * read as well and given here in camelCase.
 */
export interface Session {
  sessionId: string;
  executions: SessionExecution[];
}

export interface SessionExecution {
  executionId: string;
  flowId: string | null;
  /** The bare flow slug; null when the flow was deleted. */
  slug: string | null;
  triggerType: "execute" | "step" | "job" | (string & {}) | null;
  status: "pending" | "running" | "completed" | "failed" | "cancelled" | (string & {});
  startedAt: string | null;
  completedAt: string | null;
  traceCaptureMode: string | null;
  snapshotsAvailable: boolean;
  steps: SessionStep[];
  errorAtStep: string | null;
  /** The run's result as the service answered it live, when the service says (the local server does). */
  result?: unknown;
  [key: string]: unknown;
}

export interface SessionStep {
  stepId: string;
  attempt: number;
  loopIndex: number | null;
  status: "running" | "completed" | "failed" | "skipped" | (string & {});
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  inputSnapshot: Record<string, unknown> | null;
  outputSnapshot: unknown;
  errorSnapshot: { code?: string; message?: string; [key: string]: unknown } | null;
  truncated: boolean;
  /** A tool-calling step's rounds, each as the pause that asked for it, when the service records them (the local server does). */
  toolRounds?: SessionToolRound[];
  [key: string]: unknown;
}

/** One round of tool calls a step asked for, as its pause carried it. */
export interface SessionToolRound {
  toolCalls: ToolCall[];
  toolCallMessages: ChatMessage[];
  iterationsUsed: number;
}
