import { MAX_ERROR_BODY_BYTES, type CoreConfig, emitLog } from "./config.js";
import type { ApiCall } from "./api-call.js";
import { buildRequest } from "./api-call.js";
import { didFailBeforeResponse } from "./connection-failure.js";
import type { BodyHandle, HttpRequest, HttpResponse, Op, StreamHead } from "./effects.js";
import { errorFromResponse } from "./error-from-response.js";
import { APITimeoutError, FlowExecutionError, type NoukaiError } from "./errors.js";
import type { CallLogEvent } from "./log-event.js";
import { scrubParsed } from "./redact.js";
import { parseRetryAfter } from "./retry-after.js";
import { decideRetry, type Failure } from "./retry-policy.js";
import { MemoryBody } from "./memory-body.js";
import type { OutgoingRequest } from "./middleware.js";
import { afterResponse, answeredResponse, answeredStream, beforeSend, incoming, onRetry } from "./middleware-chain.js";
import { boundedWait, pastDeadline } from "./stream-deadline.js";

/** A successful JSON answer. */
export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
  /** The `X-Session-Id` the request carried (the call's, the client's, or a scope's), if any. */
  sessionId: string | undefined;
}

/**
 * Sends a call and returns its parsed JSON, retrying what Part A §8 allows:
 * 408, 429 and 5xx answers, and connections that failed before any response
 * byte. Every retry waits for `Retry-After` or a jittered backoff, and none
 * is started that could not finish before the call's deadline.
 */
export function* callJson(config: CoreConfig, call: ApiCall): Op<JsonResponse> {
  const request = buildRequest(config, call);
  const deadline = config.now() + call.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    logRequest(config, call, attempt);
    let exchanged: Exchanged;
    try {
      exchanged = yield* fetchOnce(config, call, request, attempt, attemptTimeout(config, call, attempt, deadline));
    } catch (error) {
      if (yield* retryAfterConnectionFailure(config, call, error, attempt, deadline)) continue;
      throw error;
    }
    const response = scrubbed(config, exchanged.response);
    if (response.status >= 200 && response.status < 300) {
      const data = scrubParsed(config.redact, response.text, parseMaybe(response.text, NOT_JSON));
      const body = data === NOT_JSON ? response.text : data;
      received(config, call, attempt, exchanged, response.status, response.headers, body);
      if (data === NOT_JSON) throw invalidBody(config, call, response);
      return { status: response.status, headers: response.headers, data, sessionId: exchanged.sessionId };
    }
    const body = scrubParsed(config.redact, response.text, parseMaybe(response.text));
    received(config, call, attempt, exchanged, response.status, response.headers, body);
    const error = failure(config, call, response);
    if (yield* retryAfterStatus(config, call, response.status, response.headers, attempt, deadline)) continue;
    throw error;
  }
}

/** One attempt's answer, and what the middleware saw of its request (when the client has any). */
interface Exchanged {
  response: HttpResponse;
  /** The session the request was tagged with, after the middleware had its say. */
  sessionId: string | undefined;
  seen?: OutgoingRequest | undefined;
  /** The middleware that answered instead of the server. */
  by?: string | undefined;
}

/** Sends one attempt, through the middleware chain when the client has one. */
function* fetchOnce(config: CoreConfig, call: ApiCall, request: HttpRequest, attempt: number, timeoutMs: number): Op<Exchanged> {
  const limits = { maxBodyBytes: config.maxResponseBytes, maxErrorBytes: MAX_ERROR_BODY_BYTES };
  if (call.hooks === undefined) return { response: (yield { op: "fetch", request, timeoutMs, ...limits }) as HttpResponse, sessionId: call.sessionId };
  const sent = yield* beforeSend(call.hooks, request, call.body, false, attempt);
  const sessionId = sent.seen.headers["x-session-id"];
  if (sent.kind === "answered") return { response: answeredResponse(sent.answer, sent.by, sent.seen), sessionId, seen: sent.seen, by: sent.by };
  return { response: (yield { op: "fetch", request: sent.request, timeoutMs, ...limits }) as HttpResponse, sessionId, seen: sent.seen };
}

/**
 * Opens an event stream: the same retries as `callJson`, but only until the
 * response headers, so that no event is ever delivered twice.
 */
export function* openStream(config: CoreConfig, call: ApiCall): Op<StreamHead> {
  const request: HttpRequest = buildRequest(config, { ...call, stream: true });
  // No retry may outlive a stream's totalTimeout either.
  const deadline = Math.min(config.now() + call.timeoutMs, call.deadline?.at ?? Infinity);
  for (let attempt = 0; ; attempt++) {
    logRequest(config, call, attempt);
    let opened: Opened;
    try {
      const timeoutMs = boundedWait(attemptTimeout(config, call, attempt, deadline), call.deadline, config.now());
      opened = yield* openOnce(config, call, request, attempt, timeoutMs);
    } catch (error) {
      if (yield* retryAfterConnectionFailure(config, call, error, attempt, deadline)) continue;
      throw overDeadline(config, call, error);
    }
    let head = opened.head;
    const headers = config.redact(head.headers);
    if (headers !== head.headers) head = { ...head, headers };
    if (head.status >= 200 && head.status < 300) {
      received(config, call, attempt, opened, head.status, head.headers, undefined);
      return head;
    }
    const text = config.redact(
      head.body instanceof MemoryBody
        ? head.body.readText(MAX_ERROR_BODY_BYTES)
        : ((yield {
            op: "readText",
            body: head.body,
            maxBytes: MAX_ERROR_BODY_BYTES,
            timeoutMs: boundedWait(call.timeoutMs, call.deadline, config.now()),
          }) as string),
    );
    yield* discardBody(head.body);
    const body = scrubParsed(config.redact, text, parseMaybe(text));
    received(config, call, attempt, opened, head.status, head.headers, body);
    const error = failure(config, call, { status: head.status, headers: head.headers, text });
    if (yield* retryAfterStatus(config, call, head.status, head.headers, attempt, deadline)) continue;
    throw error;
  }
}

/** One attempt's stream head, and what the middleware saw of its request (when the client has any). */
interface Opened {
  head: StreamHead;
  seen?: OutgoingRequest | undefined;
  by?: string | undefined;
}

/** Opens one attempt, through the middleware chain when the client has one. */
function* openOnce(config: CoreConfig, call: ApiCall, request: HttpRequest, attempt: number, timeoutMs: number): Op<Opened> {
  if (call.hooks === undefined) return { head: (yield { op: "open", request, timeoutMs }) as StreamHead };
  const sent = yield* beforeSend(call.hooks, request, call.body, true, attempt);
  if (sent.kind === "answered") return { head: answeredStream(sent.answer, sent.by, sent.seen), seen: sent.seen, by: sent.by };
  return { head: (yield { op: "open", request: sent.request, timeoutMs }) as StreamHead, seen: sent.seen };
}

/** Lets go of a body: an in-memory one needs nothing, a driver's is released by its driver. */
export function* discardBody(body: BodyHandle): Op<void> {
  if (!(body instanceof MemoryBody)) yield { op: "discard", body };
}

/** A wait cut short by a stream's totalTimeout fails as that, not as the shorter wait it became. */
function overDeadline(config: CoreConfig, call: ApiCall, error: unknown): unknown {
  return error instanceof APITimeoutError && call.deadline !== undefined && config.now() >= call.deadline.at ? pastDeadline(call.deadline) : error;
}

function* retryAfterConnectionFailure(
  config: CoreConfig,
  call: ApiCall,
  error: unknown,
  attempt: number,
  deadline: number,
): Op<boolean> {
  if (!didFailBeforeResponse(error)) return false;
  const reason = error instanceof Error ? error.message : String(error);
  return yield* maybeRetry(config, call, { kind: "connection" }, attempt, deadline, { error: reason });
}

function* retryAfterStatus(
  config: CoreConfig,
  call: ApiCall,
  status: number,
  headers: Record<string, string>,
  attempt: number,
  deadline: number,
): Op<boolean> {
  const retryAfterSeconds = parseRetryAfter(headers["retry-after"], config.now());
  const details: Partial<CallLogEvent> = { statusCode: status };
  const requestId = headers["x-request-id"];
  if (requestId !== undefined) details.requestId = requestId;
  return yield* maybeRetry(config, call, { kind: "status", status, retryAfterSeconds }, attempt, deadline, details);
}

function* maybeRetry(
  config: CoreConfig,
  call: ApiCall,
  failure: Failure,
  attempt: number,
  deadline: number,
  details: Partial<CallLogEvent>,
): Op<boolean> {
  const decision = decideRetry(
    failure,
    attempt,
    { nowMs: config.now(), deadlineMs: deadline, random: config.random() },
    config.retry,
  );
  if (!decision.retry) return false;
  emitLog(config, { phase: "retry", method: call.method, path: call.path, attempt, ...details, delayMs: decision.delayMs });
  onRetry(call.hooks, { attempt, reason: failure.kind === "status" ? { status: failure.status } : { connection: details.error ?? "failed before any answer" }, delayMs: decision.delayMs });
  yield { op: "sleep", ms: decision.delayMs };
  return true;
}

/**
 * The key is scrubbed from what a server sends back once, as it arrives, so
 * that a server echoing the `Authorization` header cannot make it reach an
 * error, a log event or a value: no later step has to remember to.
 */
function scrubbed(config: CoreConfig, response: HttpResponse): HttpResponse {
  const headers = config.redact(response.headers);
  const text = config.redact(response.text);
  return headers === response.headers && text === response.text ? response : { status: response.status, headers, text };
}

function failure(config: CoreConfig, call: ApiCall, response: HttpResponse): NoukaiError {
  return errorFromResponse(
    { status: response.status, headers: response.headers, text: response.text, executionId: call.executionId, missing: call.missing },
    config.now(),
    config.redact,
  );
}

const NOT_JSON = Symbol("not JSON");

/** The parsed JSON, or `otherwise` (by default the text itself). */
function parseMaybe(text: string, otherwise: unknown = text): unknown {
  try {
    // A byte-order mark is legal before JSON text but JSON.parse refuses it.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    return otherwise;
  }
}

/** A 2xx answer whose body is not JSON cannot be a result. */
function invalidBody(config: CoreConfig, call: ApiCall, response: HttpResponse): FlowExecutionError {
  return new FlowExecutionError(
    `The server answered ${call.method} ${call.path} with HTTP ${response.status} but a body that is not JSON` +
      (response.text.trim() === "" ? " (it was empty)." : "."),
    {
      statusCode: response.status,
      code: "INVALID_RESPONSE",
      requestId: response.headers["x-request-id"],
      executionId: call.executionId,
      headers: response.headers,
      responseBody: response.text.slice(0, MAX_ERROR_BODY_BYTES),
    },
  );
}

/**
 * The first attempt waits the caller's whole `timeout` (the time our own code
 * took since the deadline was set is not the caller's to lose, and their
 * timeout is what the error reports); a retry gets what is left of it.
 */
function attemptTimeout(config: CoreConfig, call: ApiCall, attempt: number, deadline: number): number {
  return attempt === 0 ? call.timeoutMs : remaining(config, deadline);
}

function remaining(config: CoreConfig, deadline: number): number {
  return Math.max(1, deadline - config.now());
}

function logRequest(config: CoreConfig, call: ApiCall, attempt: number): void {
  if (config.onLog === undefined) return;
  const event: CallLogEvent = { phase: "request", method: call.method, path: call.path, attempt };
  if (config.logPayloads && call.body !== undefined) event.requestBody = config.redactPayload(call.body);
  emitLog(config, event);
}

/** An answer arrived (from the server or a middleware): it is logged, then shown to the middleware that saw its request. */
function received(
  config: CoreConfig,
  call: ApiCall,
  attempt: number,
  sent: { seen?: OutgoingRequest | undefined; by?: string | undefined },
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  logResponse(config, call, attempt, status, headers, body);
  if (sent.seen !== undefined && call.hooks !== undefined) afterResponse(call.hooks, incoming(status, headers, body, sent.by), sent.seen);
}

function logResponse(
  config: CoreConfig,
  call: ApiCall,
  attempt: number,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  if (config.onLog === undefined) return;
  const event: CallLogEvent = { phase: "response", method: call.method, path: call.path, attempt, statusCode: status };
  const requestId = headers["x-request-id"];
  if (requestId !== undefined) event.requestId = requestId;
  if (config.logPayloads && body !== undefined) event.responseBody = config.redactPayload(body);
  emitLog(config, event);
}
