/**
 * `noukai`: the Noukai flow clients. `AsyncNoukai` awaits; `Noukai` blocks.
 */
export { AsyncNoukai } from "./clients/async-noukai.js";
export type { AsyncFlow, Job, PausedResult, Run } from "./clients/async-types.js";
export { Noukai } from "./clients/noukai.js";
export type { Flow, SyncJob, SyncPausedResult, SyncRun } from "./clients/sync-types.js";
export {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  FlowExecutionError,
  FlowNotFoundError,
  InsufficientCreditsError,
  NoukaiError,
  PermissionDeniedError,
  RateLimitError,
  ToolCallLimitError,
  ValueError,
} from "./core/errors.js";
export type { NoukaiErrorInit } from "./core/errors.js";
export type { FlowIdentifier } from "./core/flow-ref.js";
export type { LogEvent } from "./core/log-event.js";
export type {
  CallOptions,
  StreamCallOptions,
  ClientOptions,
  EventsOptions,
  ExecuteAsyncOptions,
  ExecuteOptions,
  MessageInput,
  NoukaiEnv,
  ResumeOptions,
  RunSettings,
  StepsOptions,
  StepTraceOptions,
  SyncToolHandler,
  ToolHandler,
  ToolSettings,
  WaitOptions,
} from "./core/options.js";
export type {
  FlowCompleted,
  ResumeArgs,
  RunStarted,
  StepCompleted,
  StepFailed,
  StepInput,
  StepOutput,
  StepPaused,
  StepStarted,
  StreamEvent,
  SyncStreamEvent,
  SyncToolCallsRequired,
  ToolCallsRequired,
  ToolCallsRequiredFields,
} from "./core/stream-events.js";
export type {
  ChatMessage,
  ExecuteResult,
  JobAccepted,
  JobStatus,
  PausedState,
  ResumeRequest,
  RunSummary,
  StepAttempts,
  StepTrace,
  TokenBreakdown,
  ToolCall,
  ToolChoice,
  ToolDefinition,
  ToolResult,
  Trace,
} from "./core/types.js";
export type { Version } from "./core/versions.js";
export { VERSION } from "./version.js";
