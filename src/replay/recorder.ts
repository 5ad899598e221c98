import type { CallInfo, IncomingResponse, MiddlewareEvent, OutgoingRequest } from "../core/middleware.js";
import { type Cassette, type ExchangedCall, emptyCassette, type RecordedExchange } from "./cassette.js";
import { executionIdOf, inputOf, startsRun } from "./request-facts.js";

/** Headers of an answer that say nothing about it once it is replayed (the connection's, the moment's). */
const NOT_KEPT = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "vary"]);

/** The public type of an event, back to the name it has on the wire. */
const WIRE_NAME = new Map([["tool_calls_required", "step_paused_for_tool_calls"]]);

/**
 * Writes down every call of a recording scope as it happens: each request
 * (without its Authorization header: the middleware never sees it), each
 * answer as the client received it (the key already masked), each event of a
 * stream. Retries are exchanges of their own, so a replay retries too.
 */
export class Recorder {
  readonly #calls: ExchangedCall[] = [];
  readonly #open = new Map<string, { call: ExchangedCall; current: RecordedExchange | undefined }>();

  request(request: OutgoingRequest, info: CallInfo): void {
    let entry = this.#open.get(info.id);
    if (entry === undefined) {
      const call: ExchangedCall = { operation: info.operation, flow: `${info.flow.org}/${info.flow.project}/${info.flow.slug}`, exchanges: [] };
      if (info.replayKey !== undefined) call.replayKey = info.replayKey;
      if (startsRun(info.operation)) call.input = inputOf(request.body);
      this.#calls.push(call);
      entry = { call, current: undefined };
      this.#open.set(info.id, entry);
    }
    const executionId = executionIdOf(request);
    if (executionId !== undefined) entry.call.executionId ??= executionId;
    const recorded: RecordedExchange["request"] = { method: request.method, path: request.path };
    if (request.body !== undefined) recorded.body = jsonCopy(request.body);
    entry.current = { request: recorded, response: { status: 0 } };
    entry.call.exchanges.push(entry.current);
  }

  response(response: IncomingResponse, request: OutgoingRequest, info: CallInfo): void {
    const entry = this.#open.get(info.id);
    if (entry?.current === undefined) return;
    const headers = keptHeaders(response.headers);
    const streamed = request.stream && response.status >= 200 && response.status < 300;
    entry.current.response = streamed ? { status: response.status, headers, events: [] } : { status: response.status, headers, body: jsonCopy(response.body) };
    const executionId = (response.body as { executionId?: unknown } | null | undefined)?.executionId;
    if (typeof executionId === "string" && executionId !== "") entry.call.executionId ??= executionId;
  }

  event(event: MiddlewareEvent, info: CallInfo): void {
    const entry = this.#open.get(info.id);
    const response = entry?.current?.response;
    if (entry === undefined || response === undefined || !("events" in response)) return;
    const { type, ...data } = jsonCopy(event);
    response.events.push({ event: WIRE_NAME.get(type) ?? type, data });
    if (type === "run_started" && typeof data["executionId"] === "string") entry.call.executionId ??= data["executionId"];
  }

  cassette(sessionId: string | null): Cassette {
    const cassette = emptyCassette(sessionId);
    cassette.calls = this.#calls;
    return cassette;
  }
}

function keptHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!NOT_KEPT.has(name) && !name.startsWith("access-control-")) kept[name] = value;
  return kept;
}

/**
 * A copy of what the cassette will hold, as its JSON will hold it (a `Date`
 * becomes its string). `JSON.stringify` walks natively with the least stack
 * per level, so it copies as deep as the client reads (../core/json-depth.ts),
 * deeper than `structuredClone` could.
 */
function jsonCopy<T>(value: T): T {
  const text = JSON.stringify(value) as string | undefined;
  return (text === undefined ? value : JSON.parse(text)) as T;
}
