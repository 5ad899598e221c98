/**
 * `noukai/blocking`: the blocking client, `Noukai`, with the errors its calls
 * throw and the types its users write. The same classes as the main entry's
 * (a `FlowNotFoundError` from here is one from `noukai`).
 *
 * What the entry adds is when the client's I/O thread starts: as the entry
 * is imported, before the rest of the package loads (./blocking-entry.ts),
 * so that the first call does not wait for a thread to boot from nothing.
 * This module gives the entry its types; its code is the main entry's.
 */
export { Noukai } from "./clients/noukai.js";
export type { SyncMode } from "./clients/types/modes.js";
export type { Flow, SyncJob, SyncPausedResult, SyncRun } from "./clients/types/surfaces.js";
export {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FlowExecutionError,
  FlowNotFoundError,
  InsufficientCreditsError,
  InternalServerError,
  NotFoundError,
  NoukaiError,
  PermissionDeniedError,
  RateLimitError,
  RunNotFoundError,
  StepNotFoundError,
  ToolCallLimitError,
  UnprocessableEntityError,
  ValueError,
  VersionNotFoundError,
} from "./core/errors.js";
export type { NotFoundResource, NoukaiErrorInit } from "./core/errors.js";
export { ServerErrorCode } from "./core/error-codes.js";
export type { ErrorCode } from "./core/error-codes.js";
export {
  CassetteError,
  ReplayDisabledError,
  ReplayError,
  ReplayForbiddenError,
  ReplayInvalidSessionError,
  ReplayLeftoverError,
  ReplayMissError,
  ReplayNoSnapshotsError,
  ReplaySessionExpiredError,
  ReplaySessionNotFoundError,
} from "./core/replay-errors.js";
export { FIXED_HEADERS } from "./core/middleware.js";
export type {
  AnswerEvent,
  CallInfo,
  IncomingResponse,
  Middleware,
  MiddlewareAnswer,
  MiddlewareEvent,
  Operation,
  OutgoingRequest,
} from "./core/middleware.js";
export type { FlowIdentifier } from "./core/flow-ref.js";
export type { CallLogEvent, LogEvent, ScopeLogEvent } from "./core/log-event.js";
export type {
  CallOptions,
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
  StreamCallOptions,
  SyncToolHandler,
  ToolSettings,
  WaitOptions,
} from "./core/options.js";
export type {
  FlowCompleted,
  LiveTraceEvent,
  ResumeArgs,
  RunStarted,
  StepCompleted,
  StepFailed,
  StepInput,
  StepOutput,
  StepPaused,
  StepStarted,
  SyncStreamEvent,
  SyncToolCallsRequired,
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
  Session,
  SessionExecution,
  SessionStep,
  SessionToolRound,
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
