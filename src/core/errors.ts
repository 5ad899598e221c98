/**
 * Every error the SDK raises. Callers branch on the class (or on `code`), so
 * each class is a one-liner over `NoukaiError`; one factory
 * (`errorFromResponse`, ./error-from-response.ts) picks the class of a failed
 * response, and ./client-errors.ts builds each error the client raises itself.
 *
 * Names are string literals, not read from the class at run time: a minifier
 * renames classes, and `error.name` must still say `APIUserAbortError`. The
 * other fields are `declare`d: each constructor sets them, so no field
 * declaration needs to define them first (which would only add to the bundle).
 */
import type { ErrorCode } from "./error-codes.js";

/** What an error knows about the exchange that caused it. */
export interface NoukaiErrorInit {
  statusCode?: number | undefined;
  code?: ErrorCode | (string & {}) | undefined;
  requestId?: string | undefined;
  executionId?: string | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  responseBody?: unknown;
  cause?: unknown;
}

/** The base of every error the service or the transport can cause. */
export class NoukaiError extends Error {
  override readonly name: string = "NoukaiError";
  /** HTTP status of the response, when there was one. */
  declare readonly statusCode: number | undefined;
  /** The server's error code (`detail.code`, see `ServerErrorCode`), or the client's own (`ErrorCode`). */
  declare readonly code: ErrorCode | (string & {}) | undefined;
  /** The `X-Request-ID` of the response: quote it when asking for support. */
  declare readonly requestId: string | undefined;
  /** The execution this error belongs to, when known. */
  declare readonly executionId: string | undefined;
  /** Response headers, lower-cased. */
  declare readonly headers: Readonly<Record<string, string>> | undefined;
  /** The response body: parsed JSON when it was JSON, else its text (at most 64 KiB). */
  declare readonly responseBody: unknown;

  constructor(message: string, init: NoukaiErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.statusCode = init.statusCode;
    this.code = init.code;
    this.requestId = init.requestId;
    this.executionId = init.executionId;
    this.headers = init.headers;
    this.responseBody = init.responseBody;
  }

  /** A plain, loggable form (no headers or body, which may be large). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      statusCode: this.statusCode,
      code: this.code,
      requestId: this.requestId,
      executionId: this.executionId,
    };
  }
}

/** 401: the key is missing, malformed or refused. Also raised by the constructor. */
export class AuthenticationError extends NoukaiError {
  override readonly name: string = "AuthenticationError";
  /** The `WWW-Authenticate` header of the response, when there was one. */
  declare readonly wwwAuthenticate: string | undefined;
  constructor(message: string, init: NoukaiErrorInit = {}) {
    super(message, init);
    this.wwwAuthenticate = init.headers?.["www-authenticate"];
  }
}
/** 402: the organisation has no credits left. */
export class InsufficientCreditsError extends NoukaiError {
  override readonly name: string = "InsufficientCreditsError";
}
/** 403: the key may not use this organisation, project or flow. */
export class PermissionDeniedError extends NoukaiError {
  override readonly name: string = "PermissionDeniedError";
}

/** What a 404 says was not found. */
export type NotFoundResource = "flow" | "version" | "run" | "step" | "route";

/**
 * 404: something the call named does not exist. The family's base, under the
 * official client's name; the subclasses say what was missing, and
 * `resource` says it for every 404.
 */
export class FlowNotFoundError extends NoukaiError {
  override readonly name: string = "FlowNotFoundError";
  /** What was not found: the flow, its version, a run or job, a step, or (`route`) the path itself. */
  declare readonly resource: NotFoundResource;
  constructor(message: string, init: NoukaiErrorInit & { resource?: NotFoundResource } = {}) {
    super(message, init);
    this.resource = init.resource ?? "flow";
  }
}
/** The same class as `FlowNotFoundError`, under the name of what it is: any 404. */
export { FlowNotFoundError as NotFoundError };
/** 404: the flow has no such published version. */
export class VersionNotFoundError extends FlowNotFoundError {
  override readonly name: string = "VersionNotFoundError";
}
/** 404: no run or job with this execution id (or not visible yet, past the job grace window). */
export class RunNotFoundError extends FlowNotFoundError {
  override readonly name: string = "RunNotFoundError";
}
/** 404: the run has no such step (or no such attempt or loop iteration of it). */
export class StepNotFoundError extends FlowNotFoundError {
  override readonly name: string = "StepNotFoundError";
}

/** 429: too many requests. */
export class RateLimitError extends NoukaiError {
  override readonly name: string = "RateLimitError";
  /** Seconds the server asked us to wait (`Retry-After`), or undefined. Never NaN. */
  declare readonly retryAfter: number | undefined;
  constructor(message: string, init: NoukaiErrorInit & { retryAfter?: number | undefined } = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}
/** Any other failed response, a failed step, or a response the SDK cannot use. Branch on `code`. */
export class FlowExecutionError extends NoukaiError {
  override readonly name: string = "FlowExecutionError";
  /** The failed step, when a step failed (from `steps()`). */
  declare readonly step: Readonly<Record<string, unknown>> | undefined;
  constructor(message: string, init: NoukaiErrorInit & { step?: Readonly<Record<string, unknown>> | undefined } = {}) {
    super(message, init);
    this.step = init.step;
  }
}
/** 400: the service refused the request as malformed. */
export class BadRequestError extends FlowExecutionError {
  override readonly name: string = "BadRequestError";
}
/** 409: the request conflicts with the run's state (a resume at the wrong step, a step index that does not match). */
export class ConflictError extends FlowExecutionError {
  override readonly name: string = "ConflictError";
}
/** 422: well-formed but not acceptable (a reused idempotency key, a validation failure). */
export class UnprocessableEntityError extends FlowExecutionError {
  override readonly name: string = "UnprocessableEntityError";
}
/** 5xx: the service failed (after the client's retries). */
export class InternalServerError extends FlowExecutionError {
  override readonly name: string = "InternalServerError";
}
/** The request never got a usable answer: DNS, refused or reset connection, a cut stream, an answer too large. */
export class APIConnectionError extends NoukaiError {
  override readonly name: string = "APIConnectionError";
}
/** `timeout` (or `totalTimeout`) passed: see the message for which. */
export class APITimeoutError extends APIConnectionError {
  override readonly name: string = "APITimeoutError";
}
/** The caller's `AbortSignal` fired, or the client was closed. */
export class APIUserAbortError extends NoukaiError {
  override readonly name: string = "APIUserAbortError";
}
/** The flow asked for more tool rounds than `maxToolRounds` allows. */
export class ToolCallLimitError extends NoukaiError {
  override readonly name: string = "ToolCallLimitError";
}

/**
 * Bad input from the caller, found before any request is sent. Not a
 * `NoukaiError`: nothing reached the service.
 */
export class ValueError extends Error {
  override readonly name: string = "ValueError";
}
