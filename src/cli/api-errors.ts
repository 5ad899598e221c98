import {
  APIConnectionError,
  APITimeoutError,
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
import type { Target } from "./target.js";

/**
 * Turns what a client call threw into the CliError the user sees: one line
 * naming the error class, its code and the request id (what support asks
 * for), and an exit code per class. Anything else is a bug and passes through.
 */
export function cliErrorFrom(error: unknown, signal: AbortSignal, target?: Target): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof APIUserAbortError && signal.aborted) return stoppedError(signal.reason);
  if (error instanceof ValueError) return new CliError(oneLine(`${error.name}: ${error.message}`), EXIT.usage);
  if (error instanceof NoukaiError) {
    const hint = target === undefined ? "" : whereHint(error, target);
    // The hint continues the sentence: the description's closing period goes.
    return new CliError(hint === "" ? describeError(error) : `${describeError(error).replace(/\.$/, "")}${hint}`, exitCodeOf(error));
  }
  return error;
}

/** Connection failures: the address was refused, or its name unknown, before any answer. */
const UNREACHED: Record<string, string> = {
  ECONNREFUSED: "nothing listens there",
  ENOTFOUND: "the name does not resolve",
  EAI_AGAIN: "the name could not be looked up",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
};

/**
 * What the server's address has to do with the failure, and what to try:
 * start the local server, fix the name, or point at an API root.
 */
function whereHint(error: NoukaiError, target: Target): string {
  const code = error.code ?? "";
  if (error instanceof APITimeoutError) return ` (waiting on ${target.host})`;
  if (error instanceof APIConnectionError) {
    const why = UNREACHED[code];
    if (why === undefined) return ` (from ${target.host})`;
    const fix = target.isLocal
      ? `is noukai dev running on ${target.host}? Start it with: noukai dev${portFlag(target)}`
      : `check the host name in ${target.source}`;
    return `; cannot reach ${target.host}: ${why}; ${fix}`;
  }
  // The server answered, but knows no such route: not a missing flow, a wrong API root.
  if (error instanceof FlowNotFoundError && code === "NOT_FOUND") {
    return `; ${target.host} has no such route: is ${target.baseUrl} (${target.source}) a Noukai API root?`;
  }
  return "";
}

function portFlag(target: Target): string {
  const port = /:(\d+)$/.exec(target.host)?.[1];
  return port === undefined || port === "8080" ? "" : ` --port ${port}`;
}

/** The command was stopped from outside: by the user, or by the end of the pipe it writes to (quietly). */
export function stoppedError(reason: unknown): CliError {
  if (reason === "EPIPE") return new CliError("", EXIT.outputClosed);
  // The output failed otherwise: the process said so on stderr already.
  if (reason === "EOUTPUT") return new CliError("", EXIT.failure);
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
