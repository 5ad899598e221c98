/**
 * The cassette: a versioned JSON file that holds what a scope recorded (or a
 * session pulled from the service), so that the same calls can be answered
 * later with no network. Its JSON Schema ships as `schema/cassette.schema.json`.
 * It never holds the API key: requests are kept without their
 * Authorization header, answers as the client received them (masked).
 */
import type { AnswerEvent, Operation } from "../core/middleware.js";
import { CassetteError } from "../core/replay-errors.js";
import type { SessionExecution } from "../core/types.js";
import { isJsonObject } from "../core/json-object.js";
import { depthOf, MAX_READ_DEPTH, MAX_SENT_DEPTH } from "../core/json-depth.js";

export const CASSETTE_FORMAT = "noukai-cassette";
export const CASSETTE_VERSION = 1;

export interface Cassette {
  format: typeof CASSETTE_FORMAT;
  version: typeof CASSETTE_VERSION;
  /** When it was written (ISO 8601). */
  recordedAt: string;
  /** The session its calls were captured in, when there was one. */
  sessionId: string | null;
  /** The calls, in the order they were made. */
  calls: RecordedCall[];
}

/** One SDK call: what it was, and either the exchanges it made, or (pulled from a session) the execution it ran. */
export type RecordedCall = ExchangedCall | ExecutionCall;

interface CallIdentity {
  operation: Operation;
  /** `org/project/slug` (a call pulled from a session may know only the slug: `*\/*\/slug`). */
  flow: string;
  /** The call's `replayKey`, when it had one. */
  replayKey?: string;
  /** The execution the call started, or the one it concerns (a resume, a poll, a trace). */
  executionId?: string;
  /** The input the call started with (for matching by input). */
  input?: RecordedInput;
}

export interface RecordedInput {
  message?: string;
  messages?: unknown[];
  parameters?: Record<string, unknown>;
}

/** A call the client recorded: each request and its answer, in order. */
export interface ExchangedCall extends CallIdentity {
  exchanges: RecordedExchange[];
}

/** A call pulled from a captured session: its execution, from which each answer is rebuilt. */
export interface ExecutionCall extends CallIdentity {
  execution: SessionExecution;
}

export interface RecordedExchange {
  request: { method: "GET" | "POST"; path: string; body?: Record<string, unknown> };
  response: RecordedAnswer;
}

/** A whole answer (`body`), or a stream's events. */
export type RecordedAnswer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { status: number; headers?: Record<string, string>; events: AnswerEvent[] };

export function emptyCassette(sessionId: string | null): Cassette {
  return { format: CASSETTE_FORMAT, version: CASSETTE_VERSION, recordedAt: new Date().toISOString(), sessionId, calls: [] };
}

/** A cassette holds answers (as deep as the client reads them) a few levels below its own top. */
const MAX_CASSETTE_DEPTH = MAX_READ_DEPTH + 16;

const OPERATIONS = new Set<string>(["execute", "resume", "steps", "events", "executeAsync", "poll", "wait", "trace", "stepTrace", "liveTrace"]);

/**
 * Checks that a value is a cassette this version reads, field by field, and
 * names the first thing that is not (`calls[2].exchanges[0].response.status`).
 */
export function checkCassette(input: unknown, where: string): Cassette {
  const value = input;
  const fail = (path: string, problem: string): never => {
    throw new CassetteError(`${where}: ${path}: ${problem}.`, { code: "CASSETTE_INVALID" });
  };
  if (!isJsonObject(value)) return fail("/", "not a JSON object");
  // Matching and replaying walk what the cassette holds, recursively.
  if (depthOf(value, MAX_CASSETTE_DEPTH) > MAX_CASSETTE_DEPTH) fail("/", `nested more than ${MAX_CASSETTE_DEPTH} levels deep, deeper than the client reads`);
  if (value["format"] !== CASSETTE_FORMAT) fail("format", `must be "${CASSETTE_FORMAT}"`);
  if (value["version"] !== CASSETTE_VERSION) fail("version", `this client reads version ${CASSETTE_VERSION}, the cassette says ${JSON.stringify(value["version"])}`);
  if (value["sessionId"] !== null && typeof value["sessionId"] !== "string") fail("sessionId", "must be a string or null");
  const calls = value["calls"];
  if (!Array.isArray(calls)) return fail("calls", "must be an array");
  calls.forEach((call: unknown, i) => checkCall(call, `calls[${i}]`, fail));
  return input as Cassette;
}

function checkCall(call: unknown, at: string, fail: (path: string, problem: string) => never): void {
  if (!isJsonObject(call)) return fail(at, "must be an object");
  if (typeof call["operation"] !== "string" || !OPERATIONS.has(call["operation"])) fail(`${at}.operation`, `must be one of ${[...OPERATIONS].join(", ")}`);
  if (typeof call["flow"] !== "string" || call["flow"].split("/").length !== 3) fail(`${at}.flow`, 'must be "org/project/slug"');
  for (const key of ["replayKey", "executionId"]) if (call[key] !== undefined && typeof call[key] !== "string") fail(`${at}.${key}`, "must be a string");
  if (call["input"] !== undefined && !isJsonObject(call["input"])) fail(`${at}.input`, "must be an object");
  // An input holds what a caller sent, one level down; matching walks it.
  if (call["input"] !== undefined && depthOf(call["input"], MAX_SENT_DEPTH + 1) > MAX_SENT_DEPTH + 1) fail(`${at}.input`, `is nested more than ${MAX_SENT_DEPTH + 1} levels deep, deeper than a client sends`);
  const exchanges = call["exchanges"];
  const execution = call["execution"];
  if ((exchanges === undefined) === (execution === undefined)) return fail(at, "must have either exchanges or execution");
  if (execution !== undefined) {
    if (!isJsonObject(execution) || typeof execution["executionId"] !== "string" || !Array.isArray(execution["steps"])) fail(`${at}.execution`, "must be a session execution (executionId, steps, …)");
    return;
  }
  if (!Array.isArray(exchanges)) return fail(`${at}.exchanges`, "must be an array");
  exchanges.forEach((exchange: unknown, j) => {
    const here = `${at}.exchanges[${j}]`;
    if (!isJsonObject(exchange)) return fail(here, "must be an object");
    const { request, response } = exchange;
    if (!isJsonObject(request) || (request["method"] !== "GET" && request["method"] !== "POST") || typeof request["path"] !== "string") fail(`${here}.request`, "must be { method, path, body? }");
    if (!isJsonObject(response) || typeof response["status"] !== "number") return fail(`${here}.response`, "must be { status, headers?, body? | events }");
    const events = response["events"];
    if (events !== undefined && !(Array.isArray(events) && events.every((e: unknown) => isJsonObject(e) && typeof e["event"] === "string" && isJsonObject(e["data"])))) {
      fail(`${here}.response.events`, "must be an array of { event, data }");
    }
  });
}
