import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  FlowExecutionError,
  FlowNotFoundError,
  InsufficientCreditsError,
  InternalServerError,
  type NoukaiError,
  type NoukaiErrorInit,
  type NotFoundResource,
  PermissionDeniedError,
  RateLimitError,
  RunNotFoundError,
  StepNotFoundError,
  UnprocessableEntityError,
  VersionNotFoundError,
} from "./errors.js";
import { MAX_READ_DEPTH, nestedDeeperThan } from "./json-depth.js";
import { describeErrorBody } from "./error-message.js";
import { type Redact, scrubParsed } from "./redact.js";
import { parseRetryAfter } from "./retry-after.js";

/** A failed response, as much of it as the SDK keeps. */
export interface FailedResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The body's text, already bounded to the first 64 KiB. */
  text: string;
  executionId?: string | undefined;
  /** What a 404 to this request would be missing, when the server's code does not say. */
  missing?: NotFoundResource | undefined;
}

/** The one place where a response becomes an error class. */
export function errorFromResponse(response: FailedResponse, nowMs: number, redact: Redact = (value) => value): NoukaiError {
  const body = scrubParsed(redact, response.text, parseJson(response.text));
  const { message, code } = isRedirect(response.status)
    ? describeRedirect(response.headers["location"])
    : describeErrorBody(response.status, body, response.text);
  const requestId = response.headers["x-request-id"];
  const init: NoukaiErrorInit = {
    statusCode: response.status,
    code,
    requestId,
    executionId: response.executionId,
    headers: response.headers,
    responseBody: body === undefined ? response.text : body,
  };
  const text = `HTTP ${response.status}${code && code !== message ? ` ${code}` : ""}: ${message}`;
  switch (response.status) {
    case 400:
      return new BadRequestError(text, init);
    case 401:
      return new AuthenticationError(text, init);
    case 402:
      return new InsufficientCreditsError(text, init);
    case 403:
      return new PermissionDeniedError(text, init);
    case 404:
      return notFound(text, init, missingResource(code, response.missing));
    case 409:
      return new ConflictError(text, init);
    case 422:
      return new UnprocessableEntityError(text, init);
    case 429:
      return new RateLimitError(text, { ...init, retryAfter: parseRetryAfter(response.headers["retry-after"], nowMs) });
    default:
      return response.status >= 500 && response.status < 600 ? new InternalServerError(text, init) : new FlowExecutionError(text, init);
  }
}

/** The server's code says what was missing; without one, the request does (a poll misses a run, a step trace a step). */
const MISSING_BY_CODE = new Map<string, NotFoundResource>([
  ["FLOW_NOT_FOUND", "flow"],
  ["VERSION_NOT_FOUND", "version"],
  ["JOB_NOT_FOUND", "run"],
  ["RUN_NOT_FOUND", "run"],
  ["EXECUTION_NOT_FOUND", "run"],
  ["STEP_NOT_FOUND", "step"],
  ["NOT_FOUND", "route"],
]);

function missingResource(code: string | undefined, fromRequest: NotFoundResource | undefined): NotFoundResource {
  return (code === undefined ? undefined : MISSING_BY_CODE.get(code)) ?? fromRequest ?? "flow";
}

function notFound(text: string, init: NoukaiErrorInit, resource: NotFoundResource): FlowNotFoundError {
  const withResource = { ...init, resource };
  switch (resource) {
    case "version":
      return new VersionNotFoundError(text, withResource);
    case "run":
      return new RunNotFoundError(text, withResource);
    case "step":
      return new StepNotFoundError(text, withResource);
    default:
      return new FlowNotFoundError(text, withResource);
  }
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** Redirects are not followed: a redirect could carry the key to another host. */
function describeRedirect(location: string | undefined) {
  const where = location ? ` to ${location.slice(0, 200)}` : "";
  return { message: `the server redirected${where}; the SDK does not follow redirects`, code: "UNEXPECTED_REDIRECT" };
}

/** The body's JSON; undefined when it has none, or JSON nested deeper than the client reads (its text then speaks for it). */
function parseJson(text: string): unknown {
  if (text === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
  return nestedDeeperThan(text, value, MAX_READ_DEPTH) ? undefined : value;
}
