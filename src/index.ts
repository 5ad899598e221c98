/**
 * `noukai`: the Noukai flow clients. `AsyncNoukai` awaits; `Noukai` blocks.
 */
export { AsyncNoukai } from "./clients/async-noukai.js";
export { Noukai } from "./clients/noukai.js";
export type { AsyncMode, Mode, Stream, SyncMode, Value } from "./clients/types/modes.js";
export type {
  AsyncFlow,
  Flow,
  FlowOf,
  Job,
  JobOf,
  PausedResult,
  PausedResultOf,
  Run,
  RunOf,
  SyncJob,
  SyncPausedResult,
  SyncRun,
} from "./clients/types/surfaces.js";
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
export { currentScope, currentSessionId, replayScope, replayScopeSync, traceScope } from "./replay/scope.js";
export type { ReplayScopeOptions, ScopeInfo, ScopeMode } from "./replay/scope.js";
export type { MatchMode } from "./replay/matcher.js";
export { CASSETTE_FORMAT, CASSETTE_VERSION } from "./replay/cassette.js";
export { cassetteOfSession } from "./replay/session-calls.js";
export type { Cassette, ExchangedCall, ExecutionCall, RecordedAnswer, RecordedCall, RecordedExchange, RecordedInput } from "./replay/cassette.js";
export type { ErrorCode } from "./core/error-codes.js";
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
export type { OtelApi, OtelAttributes, OtelAttributeValue, OtelContext, OtelSpan, OtelTracer } from "./core/telemetry-types.js";
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
  LiveTraceEvent,
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
