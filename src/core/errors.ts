/**
 * Every error the SDK raises. Callers branch on the class (or on `code`), so
 * each class is a one-liner over `NoukaiError`, and one factory
 * (`errorFromResponse`, in ./error-from-response.ts) picks the class from a
 * response.
 */

/** What an error knows about the exchange that caused it. */
export interface NoukaiErrorInit {
  statusCode?: number | undefined;
  code?: string | undefined;
  requestId?: string | undefined;
  executionId?: string | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  responseBody?: unknown;
  cause?: unknown;
}

/** The base of every error the service or the transport can cause. */
export class NoukaiError extends Error {
  /** HTTP status of the response, when there was one. */
  readonly statusCode: number | undefined;
  /** The server's error code (`detail.code`), or a client-side code. */
  readonly code: string | undefined;
  /** The `X-Request-ID` of the response: quote it when asking for support. */
  readonly requestId: string | undefined;
  /** The execution this error belongs to, when known. */
  readonly executionId: string | undefined;
  /** Response headers, lower-cased. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** The response body: parsed JSON when it was JSON, else its text (at most 64 KiB). */
  readonly responseBody: unknown;

  constructor(message: string, init: NoukaiErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
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
  /** The `WWW-Authenticate` header of the response, when there was one. */
  readonly wwwAuthenticate: string | undefined;
  constructor(message: string, init: NoukaiErrorInit = {}) {
    super(message, init);
    this.wwwAuthenticate = init.headers?.["www-authenticate"];
  }
}
/** 402: the organisation has no credits left. */
export class InsufficientCreditsError extends NoukaiError {}
/** 403: the key may not use this organisation, project or flow. */
export class PermissionDeniedError extends NoukaiError {}
/** 404: no such flow, version, execution, job or step. */
export class FlowNotFoundError extends NoukaiError {}
/** 429: too many requests. */
export class RateLimitError extends NoukaiError {
  /** Seconds the server asked us to wait (`Retry-After`), or undefined. Never NaN. */
  readonly retryAfter: number | undefined;
  constructor(message: string, init: NoukaiErrorInit & { retryAfter?: number | undefined } = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}
/** Any other failed response, a failed step, or a response the SDK cannot use. Branch on `code`. */
export class FlowExecutionError extends NoukaiError {
  /** The failed step, when a step failed (from `steps()`). */
  readonly step: Readonly<Record<string, unknown>> | undefined;
  constructor(message: string, init: NoukaiErrorInit & { step?: Readonly<Record<string, unknown>> | undefined } = {}) {
    super(message, init);
    this.step = init.step;
  }
}
/** The request never got a usable answer: DNS, refused or reset connection, a cut stream. */
export class APIConnectionError extends NoukaiError {}
/** The `timeout` passed: no response headers, or silence on a stream, for that long. */
export class APITimeoutError extends APIConnectionError {}
/** The caller's `AbortSignal` fired, or the client was closed. */
export class APIUserAbortError extends NoukaiError {}
/** The flow asked for more tool rounds than `maxToolRounds` allows. */
export class ToolCallLimitError extends NoukaiError {}

/**
 * Bad input from the caller, found before any request is sent. Not a
 * `NoukaiError`: nothing reached the service.
 */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}
