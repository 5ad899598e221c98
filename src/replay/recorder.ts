import type { CallInfo, IncomingResponse, MiddlewareEvent, OutgoingRequest } from "../core/middleware.js";
import { type Cassette, type ExchangedCall, emptyCassette, type RecordedExchange } from "./cassette.js";
import { executionIdOf, inputOf, startsRun } from "./request-facts.js";

/** Headers of an answer that say nothing about it once it is replayed (the connection's, the moment's). */
const NOT_KEPT = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "vary"]);

/** The public type of an event, back to the name it has on the wire. */
const WIRE_NAME = new Map([["tool_calls_required", "step_paused_for_tool_calls"]]);

interface OpenCall {
  call: ExchangedCall;
  /** The request of the attempt under way, until its answer comes. */
  asked: RecordedExchange["request"] | undefined;
  /** The last exchange with its answer: a stream's events go to it. */
  current: RecordedExchange | undefined;
  ended: boolean;
  what: string;
}

/**
 * Writes down every call of a recording scope as it happens: each request
 * (without its Authorization header: the middleware never sees it), each
 * answer as the client received it (the key already masked), each event of a
 * stream. Retries the service answered (a 503, a 429) are exchanges of their
 * own, so a replay retries too; an attempt that got no answer (its
 * connection failed, and it was retried) is not kept: a replay has no
 * connection to fail, and answers the call as its retry was answered.
 */
export class Recorder {
  readonly #calls: ExchangedCall[] = [];
  readonly #open = new Map<string, OpenCall>();

  /** A call starts; the function returned is called when it ends. */
  started(info: CallInfo): () => void {
    const entry = this.#entry(info);
    return () => void (entry.ended = true);
  }

  request(request: OutgoingRequest, info: CallInfo): void {
    const entry = this.#entry(info);
    if (entry.call.exchanges.length === 0 && entry.asked === undefined && startsRun(info.operation)) entry.call.input = inputOf(request.body);
    const executionId = executionIdOf(request);
    if (executionId !== undefined) entry.call.executionId ??= executionId;
    const recorded: RecordedExchange["request"] = { method: request.method, path: request.path };
    if (request.body !== undefined) recorded.body = jsonCopy(request.body);
    entry.asked = recorded;
  }

  response(response: IncomingResponse, request: OutgoingRequest, info: CallInfo): void {
    const entry = this.#open.get(info.id);
    if (entry?.asked === undefined) return;
    const headers = keptHeaders(response.headers);
    const streamed = request.stream && response.status >= 200 && response.status < 300;
    entry.current = { request: entry.asked, response: streamed ? { status: response.status, headers, events: [] } : { status: response.status, headers, body: jsonCopy(response.body) } };
    entry.call.exchanges.push(entry.current);
    entry.asked = undefined;
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

  /**
   * Calls a cassette could not answer as they went live: still running (the
   * scope's code did not wait for them), or ended on a request that got no
   * answer (every connection failed, or it timed out). A call that sent
   * nothing yet (a stream never read) has nothing to answer. Named for the
   * error that refuses them.
   */
  unanswerable(): string[] {
    return [...this.#open.values()].flatMap((entry) => {
      const sent = entry.asked !== undefined || entry.call.exchanges.length > 0;
      if (!entry.ended && sent) return [`${entry.what} was still running (await it inside the scope)`];
      if (entry.asked !== undefined) return [`${entry.what} ended with no answer to its last request (its connection failed, or it timed out)`];
      return [];
    });
  }

  cassette(sessionId: string | null): Cassette {
    const cassette = emptyCassette(sessionId);
    // A call refused before it sent anything is refused the same way in a replay: it has nothing to answer.
    cassette.calls = this.#calls.filter((call) => call.exchanges.length > 0);
    return cassette;
  }

  /** The call's record, made when it is first seen (its start, or its first request when it started before the scope's layer saw it). */
  #entry(info: CallInfo): OpenCall {
    const known = this.#open.get(info.id);
    if (known !== undefined) return known;
    const flow = `${info.flow.org}/${info.flow.project}/${info.flow.slug}`;
    const call: ExchangedCall = { operation: info.operation, flow, exchanges: [] };
    if (info.replayKey !== undefined) call.replayKey = info.replayKey;
    this.#calls.push(call);
    const entry: OpenCall = { call, asked: undefined, current: undefined, ended: false, what: `${info.operation}() of ${flow}` };
    this.#open.set(info.id, entry);
    return entry;
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
