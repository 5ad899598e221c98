/**
 * The load check of a cassette: everything a replay will use is checked
 * here, field by field, so that a cassette that loads can never fail later
 * for its shape. The first thing that is not right is named by its path
 * (`calls[2].exchanges[0].response.status`). `schema/cassette.schema.json`
 * states the same rules; a test holds the two in agreement.
 */
import { depthOf, MAX_READ_DEPTH } from "../core/json-depth.js";
import { isJsonObject } from "../core/json-object.js";
import { CassetteError } from "../core/replay-errors.js";
import { type Cassette, CASSETTE_FORMAT, CASSETTE_VERSION } from "./cassette.js";

/** A cassette holds answers (as deep as the client reads them) a few levels below its own top. */
const MAX_CASSETTE_DEPTH = MAX_READ_DEPTH + 16;

const OPERATIONS = new Set<string>(["execute", "resume", "steps", "events", "executeAsync", "poll", "wait", "trace", "stepTrace", "liveTrace"]);

/** Calls whose requests are answered with a stream of events when they succeed (`POST …/step`, `GET …/trace/stream`); the others get whole answers. */
const STREAMING = new Set<string>(["steps", "events", "liveTrace"]);

/** An event's name as a stream can carry it. */
const EVENT_NAME = /^[A-Za-z_][\w-]*$/;

type Fail = (path: string, problem: string) => never;

/** Checks that a value is a cassette this version reads, or throws a CassetteError (CASSETTE_INVALID) naming `where` and the field. */
export function checkCassette(input: unknown, where: string): Cassette {
  const fail: Fail = (path, problem) => {
    throw new CassetteError(`${where}: ${path}: ${problem}.`, { code: "CASSETTE_INVALID" });
  };
  if (!isJsonObject(input)) return fail("/", "not a JSON object");
  // Matching and replaying walk what the cassette holds, recursively.
  if (depthOf(input, MAX_CASSETTE_DEPTH) > MAX_CASSETTE_DEPTH) fail("/", `nested more than ${MAX_CASSETTE_DEPTH} levels deep, deeper than the client reads`);
  if (input["format"] !== CASSETTE_FORMAT) fail("format", `must be "${CASSETTE_FORMAT}"`);
  if (input["version"] !== CASSETTE_VERSION) fail("version", `this client reads version ${CASSETTE_VERSION}, the cassette says ${JSON.stringify(input["version"])}`);
  if (typeof input["recordedAt"] !== "string") fail("recordedAt", "must be a string (when it was written, ISO 8601)");
  if (input["sessionId"] !== null && typeof input["sessionId"] !== "string") fail("sessionId", "must be a string or null");
  const calls = input["calls"];
  if (!Array.isArray(calls)) return fail("calls", "must be an array");
  calls.forEach((call: unknown, i) => checkCall(call, `calls[${i}]`, fail));
  return input as unknown as Cassette;
}

function checkCall(call: unknown, at: string, fail: Fail): void {
  if (!isJsonObject(call)) return fail(at, "must be an object");
  if (typeof call["operation"] !== "string" || !OPERATIONS.has(call["operation"])) fail(`${at}.operation`, `must be one of ${[...OPERATIONS].join(", ")}`);
  if (typeof call["flow"] !== "string" || !/^[^/]+\/[^/]+\/[^/]+$/.test(call["flow"])) fail(`${at}.flow`, 'must be "org/project/slug"');
  optional(call, "replayKey", "string", at, fail);
  optional(call, "executionId", "string", at, fail);
  if (call["input"] !== undefined) checkInput(call["input"], `${at}.input`, fail);
  const { exchanges, execution } = call;
  if ((exchanges === undefined) === (execution === undefined)) return fail(at, "must have either exchanges or execution");
  if (execution !== undefined) return checkExecution(execution, `${at}.execution`, fail);
  if (!Array.isArray(exchanges)) return fail(`${at}.exchanges`, "must be an array");
  const streams = STREAMING.has(call["operation"]);
  exchanges.forEach((exchange: unknown, j) => checkExchange(exchange, streams, `${at}.exchanges[${j}]`, fail));
}

function checkInput(input: unknown, at: string, fail: Fail): void {
  if (!isJsonObject(input)) return fail(at, "must be an object");
  optional(input, "message", "string", at, fail);
  if (input["messages"] !== undefined && !Array.isArray(input["messages"])) fail(`${at}.messages`, "must be an array");
  optional(input, "parameters", "object", at, fail);
}

/** A recorded answer is given back to the client as a middleware's answer: it must be one the client takes for that call's requests. */
function checkExchange(exchange: unknown, streams: boolean, at: string, fail: Fail): void {
  if (!isJsonObject(exchange)) return fail(at, "must be an object");
  const { request, response } = exchange;
  if (!isJsonObject(request) || (request["method"] !== "GET" && request["method"] !== "POST") || typeof request["path"] !== "string") return fail(`${at}.request`, "must be { method, path, body? }");
  optional(request, "body", "object", `${at}.request`, fail);
  if (!isJsonObject(response)) return fail(`${at}.response`, "must be { status, headers?, body? | events }");
  const { status, headers, events } = response;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) fail(`${at}.response.status`, "must be an HTTP status, a whole number from 100 to 599");
  if (headers !== undefined && !(isJsonObject(headers) && Object.values(headers).every((value) => typeof value === "string"))) fail(`${at}.response.headers`, "must be an object of strings");
  const streamed = streams && status >= 200 && status < 300;
  if (events === undefined) {
    if (streamed && typeof response["body"] !== "string") fail(`${at}.response`, "answers a stream: must hold its events (or the stream's text as a string body)");
    return;
  }
  if (!streamed) fail(`${at}.response.events`, `${request["method"]} ${request["path"]} is answered with a whole answer (body), not events`);
  if (response["body"] !== undefined) fail(`${at}.response`, "must have either body or events, not both");
  if (!Array.isArray(events)) return fail(`${at}.response.events`, "must be an array of { event, data }");
  events.forEach((event: unknown, k) => {
    if (!isJsonObject(event) || typeof event["event"] !== "string" || !EVENT_NAME.test(event["event"]) || !isJsonObject(event["data"])) {
      fail(`${at}.response.events[${k}]`, 'must be { event: "name", data: { … } }');
    }
  });
}

/** A session's execution, as `noukai sessions pull` writes it: each answer is rebuilt from these fields. */
function checkExecution(execution: unknown, at: string, fail: Fail): void {
  if (!isJsonObject(execution)) return fail(at, "must be a session execution (executionId, steps, …)");
  if (typeof execution["executionId"] !== "string") fail(`${at}.executionId`, "must be a string");
  optional(execution, "status", "string", at, fail);
  for (const key of ["flowId", "slug", "triggerType", "errorAtStep", "startedAt", "completedAt"]) optional(execution, key, "string or null", at, fail);
  const steps = execution["steps"];
  if (!Array.isArray(steps)) return fail(`${at}.steps`, "must be an array");
  steps.forEach((step: unknown, j) => checkStep(step, `${at}.steps[${j}]`, fail));
}

function checkStep(step: unknown, at: string, fail: Fail): void {
  if (!isJsonObject(step)) return fail(at, "must be an object (stepId, outputSnapshot, …)");
  if (typeof step["stepId"] !== "string") fail(`${at}.stepId`, "must be a string");
  if (step["attempt"] !== undefined && !(Number.isInteger(step["attempt"]) && (step["attempt"] as number) >= 1)) fail(`${at}.attempt`, "must be a whole number from 1");
  if (step["loopIndex"] !== undefined && step["loopIndex"] !== null && !Number.isInteger(step["loopIndex"])) fail(`${at}.loopIndex`, "must be a whole number or null");
  if (step["durationMs"] !== undefined && step["durationMs"] !== null && !Number.isFinite(step["durationMs"])) fail(`${at}.durationMs`, "must be a number or null");
  optional(step, "status", "string", at, fail);
  for (const key of ["startedAt", "completedAt"]) optional(step, key, "string or null", at, fail);
  for (const key of ["inputSnapshot", "errorSnapshot"]) optional(step, key, "object or null", at, fail);
  const rounds = step["toolRounds"];
  if (rounds === undefined) return;
  if (!Array.isArray(rounds)) return fail(`${at}.toolRounds`, "must be an array");
  rounds.forEach((round: unknown, k) => {
    const here = `${at}.toolRounds[${k}]`;
    if (!isJsonObject(round)) return fail(here, "must be { toolCalls, toolCallMessages, iterationsUsed }");
    for (const key of ["toolCalls", "toolCallMessages"]) {
      const list = round[key];
      if (!Array.isArray(list) || !list.every(isJsonObject)) fail(`${here}.${key}`, "must be an array of objects");
    }
    if (!(Number.isInteger(round["iterationsUsed"]) && (round["iterationsUsed"] as number) >= 0)) fail(`${here}.iterationsUsed`, "must be a whole number from 0");
  });
}

type Kind = "string" | "object" | "string or null" | "object or null";

/** A field that may be left out, but has this kind when it is there. */
function optional(holder: Record<string, unknown>, key: string, kind: Kind, at: string, fail: Fail): void {
  const value = holder[key];
  if (value === undefined || (value === null && kind.endsWith("or null"))) return;
  const ok = kind.startsWith("string") ? typeof value === "string" : isJsonObject(value);
  if (!ok) fail(`${at}.${key}`, `must be ${kind === "object" ? "an object" : kind === "object or null" ? "an object or null" : kind === "string" ? "a string" : "a string or null"}`);
}
