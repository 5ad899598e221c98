/**
 * `noukai/blocking` as CommonJS: starts the blocking client's I/O thread,
 * then loads the package (see ./blocking-entry.ts for why the thread goes
 * first, and why from the main entry). `require` loads in order, so the
 * package simply follows.
 */
import type * as Blocking from "./blocking.js";
import type * as Main from "./index.js";
import { warmIoThread } from "./drivers/sync/warm-io-thread.js";

warmIoThread(new URL("./sync-worker.cjs", import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-require-imports
const main = require("./index.cjs") as typeof Main;

// Typed as `./blocking.ts`'s values: a name missing here, or one too many, does not compile.
const surface: typeof Blocking = {
  Noukai: main.Noukai,
  APIConnectionError: main.APIConnectionError,
  APITimeoutError: main.APITimeoutError,
  APIUserAbortError: main.APIUserAbortError,
  AuthenticationError: main.AuthenticationError,
  BadRequestError: main.BadRequestError,
  ConflictError: main.ConflictError,
  FlowExecutionError: main.FlowExecutionError,
  FlowNotFoundError: main.FlowNotFoundError,
  InsufficientCreditsError: main.InsufficientCreditsError,
  InternalServerError: main.InternalServerError,
  NotFoundError: main.NotFoundError,
  NoukaiError: main.NoukaiError,
  PermissionDeniedError: main.PermissionDeniedError,
  RateLimitError: main.RateLimitError,
  RunNotFoundError: main.RunNotFoundError,
  StepNotFoundError: main.StepNotFoundError,
  ToolCallLimitError: main.ToolCallLimitError,
  UnprocessableEntityError: main.UnprocessableEntityError,
  ValueError: main.ValueError,
  VersionNotFoundError: main.VersionNotFoundError,
  ServerErrorCode: main.ServerErrorCode,
  CassetteError: main.CassetteError,
  ReplayDisabledError: main.ReplayDisabledError,
  ReplayError: main.ReplayError,
  ReplayForbiddenError: main.ReplayForbiddenError,
  ReplayInvalidSessionError: main.ReplayInvalidSessionError,
  ReplayLeftoverError: main.ReplayLeftoverError,
  ReplayMissError: main.ReplayMissError,
  ReplayNoSnapshotsError: main.ReplayNoSnapshotsError,
  ReplaySessionExpiredError: main.ReplaySessionExpiredError,
  ReplaySessionNotFoundError: main.ReplaySessionNotFoundError,
  FIXED_HEADERS: main.FIXED_HEADERS,
  VERSION: main.VERSION,
};
module.exports = surface;
