import {
  AuthenticationError,
  FlowExecutionError,
  FlowNotFoundError,
  InsufficientCreditsError,
  type NoukaiError,
  type NoukaiErrorInit,
  PermissionDeniedError,
  RateLimitError,
} from "./errors.js";
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
    case 401:
      return new AuthenticationError(text, init);
    case 402:
      return new InsufficientCreditsError(text, init);
    case 403:
      return new PermissionDeniedError(text, init);
    case 404:
      return new FlowNotFoundError(text, init);
    case 429:
      return new RateLimitError(text, { ...init, retryAfter: parseRetryAfter(response.headers["retry-after"], nowMs) });
    default:
      return new FlowExecutionError(text, init);
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

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
