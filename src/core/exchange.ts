import { MAX_ERROR_BODY_BYTES, type CoreConfig, emitLog } from "./config.js";
import type { ApiCall } from "./api-call.js";
import { buildRequest } from "./api-call.js";
import { didFailBeforeResponse } from "./connection-failure.js";
import type { BodyHandle, Effect, HttpRequest, HttpResponse, Op, StreamHead } from "./effects.js";
import { errorFromResponse } from "./error-from-response.js";
import { APITimeoutError, FlowExecutionError, type NoukaiError } from "./errors.js";
import type { CallLogEvent } from "./log-event.js";
import { MAX_READ_DEPTH, nestedDeeperThan } from "./json-depth.js";
import { scrubParsed } from "./redact.js";
import { parseRetryAfter } from "./retry-after.js";
import { decideRetry, type Failure } from "./retry-policy.js";
import { MemoryBody } from "./memory-body.js";
import type { CallHooks, OutgoingRequest } from "./middleware.js";
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
export function callJson(config: CoreConfig, call: ApiCall): Op<JsonResponse> {
  // The exchange itself, not a generator delegating to it: every step of the call would pass through one more.
  return exchange(config, call, false) as Op<JsonResponse>;
}

/**
 * Opens an event stream: the same retries as `callJson`, but only until the
 * response headers, so that no event is ever delivered twice.
 */
export function openStream(config: CoreConfig, call: ApiCall): Op<StreamHead> {
  return exchange(config, call, true) as Op<StreamHead>;
}

/** Both kinds of call: one loop of attempts, a whole answer read (`callJson`) or a stream's head (`openStream`). */
function* exchange(config: CoreConfig, call: ApiCall, stream: boolean): Op<JsonResponse | StreamHead> {
  const request = buildRequest(config, stream ? { ...call, stream } : call);
  // No retry may outlive a stream's totalTimeout either.
  const deadline = Math.min(config.now() + call.timeoutMs, call.deadline?.at ?? Infinity);
  for (let attempt = 0; ; attempt++) {
    logRequest(config, call, attempt);
    let sent: Sent;
    try {
      const timeoutMs = boundedWait(attemptTimeout(config, call, attempt, deadline), call.deadline, config.now());
      // Without middleware the request goes straight to the driver, without a generator around the effect.
      sent =
        call.hooks === undefined
          ? { answer: (yield transportEffect(config, request, timeoutMs, stream)) as HttpResponse | StreamHead, sessionId: call.sessionId }
          : yield* sendThroughChain(config, call, call.hooks, request, attempt, timeoutMs, stream);
    } catch (error) {
      if (yield* retryAfterConnectionFailure(config, call, error, attempt, deadline)) continue;
      throw overDeadline(config, call, error);
    }
    const { answer } = sent;
    const { status } = answer;
    // The key is scrubbed from what a server sends back once, as it arrives,
    // so that a server echoing the `Authorization` header cannot make it reach
    // an error, a log event or a value: no later step has to remember to.
    const headers = config.redact(answer.headers);
    const ok = status >= 200 && status < 300;
    let text: string;
    if ("text" in answer) {
      text = config.redact(answer.text);
      if (ok) {
        const data = scrubParsed(config.redact, text, parseMaybe(text, NOT_JSON));
        received(config, call, attempt, sent, status, headers, data === NOT_JSON ? text : data);
        if (data === NOT_JSON) throw invalidBody(call, { status, headers, text });
        return { status, headers, data, sessionId: sent.sessionId };
      }
    } else {
      if (ok) {
        received(config, call, attempt, sent, status, headers, undefined);
        return headers === answer.headers ? answer : { ...answer, headers };
      }
      text = config.redact(
        answer.body instanceof MemoryBody
          ? answer.body.readText(MAX_ERROR_BODY_BYTES)
          : ((yield {
              op: "readText",
              body: answer.body,
              maxBytes: MAX_ERROR_BODY_BYTES,
              timeoutMs: boundedWait(call.timeoutMs, call.deadline, config.now()),
            }) as string),
      );
      yield* discardBody(answer.body);
    }
    received(config, call, attempt, sent, status, headers, scrubParsed(config.redact, text, parseMaybe(text)));
    const error = failure(config, call, { status, headers, text });
    if (yield* retryAfterStatus(config, call, status, headers, attempt, deadline)) continue;
    throw error;
  }
}

/** One attempt's answer (a whole one, or a stream's head), and what the middleware saw of its request (when the client has any). */
interface Sent {
  answer: HttpResponse | StreamHead;
  /** The session the request was tagged with, after the middleware had its say. */
  sessionId: string | undefined;
  seen?: OutgoingRequest | undefined;
  /** The middleware that answered instead of the server. */
  by?: string | undefined;
}

/** Sends one attempt through the middleware chain, which may change its headers or answer it instead of the server. */
function* sendThroughChain(
  config: CoreConfig,
  call: ApiCall,
  hooks: CallHooks,
  request: HttpRequest,
  attempt: number,
  timeoutMs: number,
  stream: boolean,
): Op<Sent> {
  const sent = yield* beforeSend(hooks, request, call.body, stream, attempt);
  const { seen } = sent;
  const sessionId = seen.headers["x-session-id"];
  if (sent.kind === "answered") {
    const answer = stream ? answeredStream(sent.answer, sent.by, seen) : answeredResponse(sent.answer, sent.by, seen);
    return { answer, sessionId, seen, by: sent.by };
  }
  const answer = (yield transportEffect(config, sent.request, timeoutMs, stream)) as HttpResponse | StreamHead;
  return { answer, sessionId, seen };
}

/** The effect that sends an attempt: a whole answer read, or a stream opened. */
function transportEffect(config: CoreConfig, request: HttpRequest, timeoutMs: number, stream: boolean): Effect<never> {
  return stream
    ? { op: "open", request, timeoutMs }
    : { op: "fetch", request, timeoutMs, maxBodyBytes: config.maxResponseBytes, maxErrorBytes: MAX_ERROR_BODY_BYTES };
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

function failure(config: CoreConfig, call: ApiCall, response: HttpResponse): NoukaiError {
  return errorFromResponse(
    { status: response.status, headers: response.headers, text: response.text, executionId: call.executionId, missing: call.missing },
    config.now(),
    config.redact,
  );
}

const NOT_JSON = Symbol("not JSON");

/**
 * The parsed JSON, or `otherwise` (by default the text itself). JSON nested
 * deeper than the client reads counts as no JSON: no later step could walk it.
 */
function parseMaybe(text: string, otherwise: unknown = text, maxDepth = MAX_READ_DEPTH): unknown {
  let value: unknown;
  try {
    // A byte-order mark is legal before JSON text but JSON.parse refuses it.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    return otherwise;
  }
  return nestedDeeperThan(text, value, maxDepth) ? otherwise : value;
}

/** What is wrong with a body `parseMaybe` could not take. */
function unreadableBody(text: string): string {
  if (text.trim() === "") return "a body that is not JSON (it was empty)";
  // JSON that parses was refused for its depth.
  return parseMaybe(text, NOT_JSON, Infinity) === NOT_JSON ? "a body that is not JSON" : `a JSON body nested more than ${MAX_READ_DEPTH} levels deep, deeper than the client reads`;
}

/** A 2xx answer whose body is not JSON cannot be a result. */
function invalidBody(call: ApiCall, response: HttpResponse): FlowExecutionError {
  return new FlowExecutionError(
    `The server answered ${call.method} ${call.path} with HTTP ${response.status} but ${unreadableBody(response.text)}.`,
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
