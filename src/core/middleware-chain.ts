import type { CoreConfig } from "./config.js";
import type { HttpRequest, HttpResponse, Op, StreamHead } from "./effects.js";
import { ValueError } from "./errors.js";
import type { FlowRef } from "./flow-ref.js";
import { describe } from "./identifiers.js";
import { MAX_READ_DEPTH } from "./json-depth.js";
import { isJsonObject } from "./json-object.js";
import { assertJsonValue } from "./json-value.js";
import { MemoryBody } from "./memory-body.js";
import {
  type AnswerEvent,
  type CallEnd,
  type CallHooks,
  type CallInfo,
  FIXED_HEADERS,
  type IncomingResponse,
  type Middleware,
  type MiddlewareAnswer,
  type MiddlewareEvent,
  type Operation,
  type OutgoingRequest,
  type RetryInfo,
} from "./middleware.js";
import type { ToolCall } from "./types.js";

/**
 * The call's identity and chain, taken once when the call starts (so a scope
 * that was open then still applies to its later requests), or undefined when
 * there is no middleware at all: nothing is built then.
 */
export function callHooks(config: CoreConfig, operation: Operation, flow: FlowRef, replayKey?: string): CallHooks | undefined {
  const ambient = config.ambient();
  if (ambient === undefined && config.middleware.length === 0) return undefined;
  const info: CallInfo = { id: config.newId(), operation, flow: { org: flow.org, project: flow.project, slug: flow.slug }, replayKey };
  return { info, chain: ambient === undefined ? config.middleware : [ambient, ...config.middleware] };
}

/**
 * Runs an operation as one call of its middleware: each middleware's
 * `onCall` when it starts, and the end it returned when the operation ends,
 * however it ends (a stream's consumer leaving early is `abandoned`: its
 * driver returns the generator, which runs this `finally`). Without an
 * `onCall` anywhere the operation is returned as it is, not wrapped: every
 * value a stream yields would pass through the wrapper, at a cost per event.
 */
export function asCall<T, E>(hooks: CallHooks | undefined, op: Op<T, E>): Op<T, E> {
  return hasHook(hooks, "onCall") ? callWithHooks(hooks, op) : op;
}

function* callWithHooks<T, E>(hooks: CallHooks, op: Op<T, E>): Op<T, E> {
  const close = opened(hooks.chain, (middleware) => middleware.onCall?.(hooks.info));
  let end: CallEnd = { outcome: "abandoned" };
  try {
    const value = yield* op;
    end = { outcome: "value", value };
    return value;
  } catch (error) {
    end = { outcome: "error", error };
    throw error;
  } finally {
    close(end);
  }
}

/** Whether any middleware of the call has the hook named: without one, the code around that hook is skipped. */
export function hasHook(hooks: CallHooks | undefined, name: "onCall" | "onToolHandler"): hooks is CallHooks {
  return hooks !== undefined && hooks.chain.some((middleware) => middleware[name] !== undefined);
}

/**
 * Runs each middleware's opening hook, in order, and returns what closes
 * them all with how the thing ended: last opened, first closed, as spans
 * nest. Every layer that opened is closed, even when another's hook throws
 * (a span left open is lost from its trace); the first error thrown is then
 * what the caller gets.
 */
function opened<End>(chain: readonly Middleware[], open: (middleware: Middleware) => ((end: End) => void) | void): (end: End) => void {
  const ends: ((end: End) => void)[] = [];
  const closeAll = (end: End): { error: unknown } | undefined => {
    let failure: { error: unknown } | undefined;
    for (const close of ends.reverse()) {
      try {
        close(end);
      } catch (error) {
        failure ??= { error };
      }
    }
    return failure;
  };
  for (const middleware of chain) {
    let end: ((end: End) => void) | void;
    try {
      end = open(middleware);
    } catch (error) {
      // The layers opened before it end with the error that stops the call.
      closeAll({ outcome: "error", error } as End);
      throw error;
    }
    if (typeof end === "function") ends.push(end);
  }
  return (end) => {
    const failure = closeAll(end);
    if (failure !== undefined) throw failure.error;
  };
}

/** Each middleware's `onRetry`, in order. */
export function onRetry(hooks: CallHooks | undefined, retry: RetryInfo): void {
  if (hooks === undefined) return;
  for (const middleware of hooks.chain) middleware.onRetry?.(retry, hooks.info);
}

/** Runs a tool handler (a `call` effect), with each middleware's `onToolHandler` around it. */
export function* handledTools(hooks: CallHooks | undefined, handler: (...args: never[]) => unknown, toolCalls: readonly ToolCall[]): Op<unknown> {
  const call = { op: "call", fn: handler, args: [toolCalls], name: "toolHandler" } as const;
  if (!hasHook(hooks, "onToolHandler")) return yield call;
  const close = opened(hooks.chain, (middleware) => middleware.onToolHandler?.(toolCalls, hooks.info));
  let results: unknown;
  try {
    results = yield call;
  } catch (error) {
    close({ outcome: "error", error });
    throw error;
  }
  close({ outcome: "value", results });
  return results;
}

/** What the chain made of one attempt: the request to send, or an answer that takes the server's place. */
export type BeforeSend =
  | { kind: "send"; request: HttpRequest; seen: OutgoingRequest }
  | { kind: "answered"; by: string; answer: MiddlewareAnswer; seen: OutgoingRequest };

/**
 * Runs each middleware's `onRequest` for one attempt, in order, each seeing
 * the headers as the ones before it left them. The first that answers ends
 * the chain. A hook runs as a `call` effect, so the async client can wait for
 * a promise it returns, and the blocking one refuses it.
 */
export function* beforeSend(
  hooks: CallHooks,
  request: HttpRequest,
  body: Record<string, unknown> | undefined,
  stream: boolean,
  attempt: number,
): Op<BeforeSend> {
  const { authorization, ...visible } = request.headers;
  const seen: OutgoingRequest = { method: request.method, path: request.path, headers: { ...visible }, body, stream, attempt };
  const call = hooks.info;
  for (const [index, middleware] of hooks.chain.entries()) {
    if (middleware.onRequest === undefined) continue;
    const name = nameOf(middleware, index);
    const hook = (outgoing: OutgoingRequest, info: CallInfo) => middleware.onRequest?.(outgoing, info);
    const answer: unknown = yield { op: "call", fn: hook, args: [seen, call], name: `middleware ${name} onRequest` };
    if (answer !== undefined) return { kind: "answered", by: name, answer: checkAnswer(answer, name, seen), seen };
  }
  return { kind: "send", request: withHeaders(request, authorization, seen.headers, visible, hooks.chain), seen };
}

/** Each middleware's `onResponse`, in order. */
export function afterResponse(hooks: CallHooks, response: IncomingResponse, seen: OutgoingRequest): void {
  for (const middleware of hooks.chain) middleware.onResponse?.(response, seen, hooks.info);
}

/** Each middleware's `onEvent`, in order (a no-op without middleware, checked once per event). */
export function onEvent(hooks: CallHooks | undefined, event: MiddlewareEvent): void {
  if (hooks === undefined) return;
  for (const middleware of hooks.chain) middleware.onEvent?.(event, hooks.info);
}

/** A middleware's answer to a whole-answer request, as the transport would have given it. */
export function answeredResponse(answer: MiddlewareAnswer, by: string, seen: OutgoingRequest): HttpResponse {
  if ("events" in answer) throw new ValueError(`middleware ${by} answered ${seen.method} ${seen.path} with events, but that request expects a whole answer (give body).`);
  return { status: answer.status, headers: lowerCased(answer.headers), text: bodyText(answer.body) };
}

/** A middleware's answer to a stream request: its events as an in-memory SSE body. */
export function answeredStream(answer: MiddlewareAnswer, by: string, seen: OutgoingRequest): StreamHead {
  const headers = lowerCased(answer.headers);
  if ("events" in answer) return { status: answer.status, headers, body: new MemoryBody(answer.events.map(sseFrame).join("")) };
  const { body } = answer;
  if (answer.status >= 200 && answer.status < 300 && typeof body !== "string") {
    throw new ValueError(`middleware ${by} answered the stream ${seen.method} ${seen.path} with a JSON body; give its events (or the SSE text as a string).`);
  }
  return { status: answer.status, headers, body: new MemoryBody(bodyText(body)) };
}

/** A whole answer's body as the server would have sent it: a string as it is, a JSON value as JSON. */
function bodyText(body: unknown): string {
  return typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
}

export function incoming(status: number, headers: Readonly<Record<string, string>>, body: unknown, answeredBy: string | undefined): IncomingResponse {
  return { status, headers, body, answeredBy };
}

function nameOf(middleware: Middleware, index: number): string {
  return typeof middleware.name === "string" && middleware.name !== "" ? `"${middleware.name}"` : `#${index + 1}`;
}

function sseFrame({ event, data }: AnswerEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function lowerCased(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers !== undefined) for (const [name, value] of Object.entries(headers)) if (name !== "__proto__") out[name.toLowerCase()] = String(value);
  return out;
}

/** An answer is checked like any input: a bad one fails the call, naming the middleware, before anything reads it. */
function checkAnswer(answer: unknown, name: string, seen: OutgoingRequest): MiddlewareAnswer {
  const where = `middleware ${name} answered ${seen.method} ${seen.path} with`;
  if (!isJsonObject(answer)) throw new ValueError(`${where} ${describe(answer)}; an answer is { status, headers?, body? } or { status, headers?, events }.`);
  const { status, headers, events } = answer;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) throw new ValueError(`${where} status ${describe(status)}; give an HTTP status from 100 to 599.`);
  if (headers !== undefined && !(isJsonObject(headers) && Object.values(headers).every((value) => typeof value === "string"))) {
    throw new ValueError(`${where} headers that are not an object of strings.`);
  }
  if (events !== undefined) {
    if (!Array.isArray(events)) throw new ValueError(`${where} events that are not an array.`);
    events.forEach((event: unknown, index) => {
      if (!isJsonObject(event) || typeof event["event"] !== "string" || !/^[A-Za-z_][\w-]*$/.test(event["event"]) || !isJsonObject(event["data"])) {
        throw new ValueError(`${where} events[${index}] that is not { event: "name", data: { … } }.`);
      }
      assertJsonValue(event["data"], `middleware ${name}'s answer to ${seen.method} ${seen.path}: events[${index}].data`, MAX_READ_DEPTH);
    });
  }
  // The answer is written out as JSON, as a server would have sent it: what JSON cannot carry is named here, not by JSON.stringify.
  if (answer["body"] !== undefined) assertJsonValue(answer["body"], `middleware ${name}'s answer to ${seen.method} ${seen.path}: body`, MAX_READ_DEPTH);
  return answer as MiddlewareAnswer;
}

/** What a header can carry: a token for a name, Latin-1 text without control characters for a value. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The request with the chain's header changes, which may not touch the headers the protocol fixes. */
function withHeaders(
  request: HttpRequest,
  authorization: string | undefined,
  changed: Record<string, string>,
  original: Record<string, string>,
  chain: readonly Middleware[],
): HttpRequest {
  if (!isJsonObject(changed)) throw new ValueError(`a middleware replaced request.headers with ${describe(changed)}; change its entries instead.`);
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers["authorization"] = authorization;
  for (const [rawName, value] of Object.entries(changed)) {
    const name = rawName.toLowerCase();
    if (FIXED_HEADERS.has(name) && original[name] !== value) throw fixed(name, chain);
    if (!HEADER_NAME.test(name) || typeof value !== "string" || !HEADER_VALUE.test(value)) {
      throw new ValueError(`a middleware set header ${describe(rawName)} to ${describe(value)}, which an HTTP header cannot carry.`);
    }
    headers[name] = value;
  }
  for (const name of Object.keys(original)) if (FIXED_HEADERS.has(name) && headers[name] === undefined) throw fixed(name, chain);
  return { ...request, headers };
}

function fixed(name: string, chain: readonly Middleware[]): ValueError {
  const names = chain.map((m, i) => nameOf(m, i)).join(", ");
  return new ValueError(`a middleware (of ${names}) changed the ${name} header, which the client owns; it may add or change other headers.`);
}
