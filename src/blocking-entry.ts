/**
 * `noukai/blocking` as an ES module: starts the blocking client's I/O thread,
 * then loads the package. A fresh worker thread takes Node 20 25 to 50 ms to
 * boot, about as long as an async client's whole import and first call; begun
 * here, it boots on another core while this thread loads the client, and the
 * first `new Noukai()` takes it over (the bridge finds it by its worker file).
 *
 * The package comes in by a dynamic `import()`, awaited: every static import
 * of an ES module is fetched and linked before any of its code runs, so with
 * a static one the thread would start only once the package had loaded.
 * What comes in is the main entry, whose files are already built: a
 * blocking surface of its own would split them into more files to load,
 * for every user of the main entry. The names listed here are
 * `./blocking.ts`'s values (the entry's types are that module's); the CommonJS
 * twin's list is checked against it by the compiler, this one by the
 * entry's test.
 */
import { warmIoThread } from "./drivers/sync/warm-io-thread.js";

warmIoThread(new URL("./sync-worker.cjs", import.meta.url));

export const {
  Noukai,
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
  ServerErrorCode,
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
  FIXED_HEADERS,
  VERSION,
} = await import("./index.js");
