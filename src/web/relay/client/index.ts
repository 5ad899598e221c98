/**
 * `noukai/relay`: a flow run from the browser through a relay on your
 * server, with no key in the page. Self-contained in its browser build.
 *
 * ```ts
 * const flow = createRelayFlow({ url: "/api/weather" });
 * for await (const event of flow.events({ message: "Weather in Lisbon", toolHandler })) show(event);
 * ```
 */
import { ValueError } from "../../../core/errors.js";
import { checkFlowOptions } from "./check-relay-options.js";
import { RelayFlowClient } from "./relay-flow.js";
import type { RelayFlow, RelayFlowOptions } from "./types.js";

const DEFAULT_TIMEOUT_MS = 300_000;

/** The flow a relay runs, from the page: `execute`, `resume`, `steps` and `events`, like `AsyncFlow`. */
export function createRelayFlow(options: RelayFlowOptions): RelayFlow {
  checkFlowOptions(options);
  const fetchFn = options.fetch ?? (globalThis as { fetch?: typeof globalThis.fetch }).fetch;
  if (fetchFn === undefined) throw new ValueError("createRelayFlow() needs fetch: this runtime has none, so pass { fetch }.");
  const headers = options.headers;
  return new RelayFlowClient({
    url: String(options.url),
    fetch: options.fetch ?? fetchFn.bind(globalThis),
    timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
    headers: typeof headers === "function" ? headers : () => headers ?? {},
  });
}

export { RelayTokenError } from "./relay-errors.js";
export { RelayCode } from "../protocol.js";
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
  NoukaiError,
  PermissionDeniedError,
  RateLimitError,
  ToolCallLimitError,
  UnprocessableEntityError,
  ValueError,
} from "../../../core/errors.js";
export type {
  RelayCallOptions,
  RelayEvent,
  RelayFlow,
  RelayFlowOptions,
  RelayPausedResult,
  RelayPausedState,
  RelayResult,
  RelayResumeOptions,
  RelayRunOptions,
  RelayToolCallsRequired,
  RelayToolHandler,
  RelayToolOptions,
} from "./types.js";
export type { FlowCompleted, RunStarted, StepCompleted, StepFailed, StepOutput, StepPaused, StepStarted } from "../../../core/stream-events.js";
export type { ToolCall, ToolResult } from "../../../core/types.js";
