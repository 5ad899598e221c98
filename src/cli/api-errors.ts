import {
  APIConnectionError,
  APIUserAbortError,
  AuthenticationError,
  FlowNotFoundError,
  NoukaiError,
  PermissionDeniedError,
  RateLimitError,
  ReplayForbiddenError,
  ReplayInvalidSessionError,
  ReplaySessionExpiredError,
  ReplaySessionNotFoundError,
  ValueError,
} from "../index.js";
import { CliError, EXIT } from "./errors.js";

/**
 * Turns what a client call threw into the CliError the user sees: one line
 * naming the error class, its code and the request id (what support asks
 * for), and an exit code per class. Anything else is a bug and passes through.
 */
export function cliErrorFrom(error: unknown, signal: AbortSignal): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof APIUserAbortError && signal.aborted) return stoppedError(signal.reason);
  if (error instanceof ValueError) return new CliError(oneLine(`${error.name}: ${error.message}`), EXIT.usage);
  if (error instanceof NoukaiError) return new CliError(describeError(error), exitCodeOf(error));
  return error;
}

/** The command was stopped from outside: by the user, or by the end of the pipe it writes to (quietly). */
export function stoppedError(reason: unknown): CliError {
  if (reason === "EPIPE") return new CliError("", EXIT.outputClosed);
  return new CliError(`cancelled (${String(reason)})`, reason === "SIGTERM" ? EXIT.terminated : EXIT.interrupted);
}

function exitCodeOf(error: NoukaiError): number {
  // A session id that is no UUID is refused before any request, like any bad argument.
  if (error instanceof ReplayInvalidSessionError && error.requestId === undefined) return EXIT.usage;
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError || error instanceof ReplayForbiddenError) return EXIT.auth;
  if (error instanceof FlowNotFoundError || error instanceof ReplaySessionNotFoundError || error instanceof ReplaySessionExpiredError) return EXIT.notFound;
  if (error instanceof RateLimitError) return EXIT.rateLimit;
  if (error instanceof APIConnectionError) return EXIT.connection;
  // Failed steps and runs, credits, tool limits, other refusals and 5xx: the service said no.
  return EXIT.server;
}

/** `FlowNotFoundError (FLOW_NOT_FOUND, request req_1f…): HTTP 404 FLOW_NOT_FOUND: flow … not found` */
export function describeError(error: NoukaiError): string {
  const details = [
    error.code,
    error.requestId === undefined ? undefined : `request ${error.requestId}`,
    error.executionId === undefined ? undefined : `execution ${error.executionId}`,
  ].filter((part) => part !== undefined);
  const retry = error instanceof RateLimitError && error.retryAfter !== undefined ? ` (retry after ${error.retryAfter} s)` : "";
  return oneLine(`${error.name}${details.length > 0 ? ` (${details.join(", ")})` : ""}: ${error.message}${retry}`);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}
