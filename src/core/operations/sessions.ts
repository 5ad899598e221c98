import type { CoreConfig } from "../config.js";
import type { Op } from "../effects.js";
import { NoukaiError } from "../errors.js";
import { callJson } from "../exchange.js";
import { describe } from "../identifiers.js";
import { isJsonObject } from "../json-object.js";
import type { CallOptions } from "../options.js";
import {
  ReplayForbiddenError,
  ReplayInvalidSessionError,
  ReplaySessionExpiredError,
  ReplaySessionNotFoundError,
} from "../replay-errors.js";
import type { Session, SessionExecution, SessionStep, SessionToolRound } from "../types.js";

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A replay session id is a UUID, checked before it becomes a path segment. */
export function checkSessionUuid(value: unknown): string {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new ReplayInvalidSessionError(`A session id is a UUID such as "3f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f", got ${describe(value)}.`, { statusCode: 400, code: "INVALID_SESSION_ID" });
  }
  return value;
}

/**
 * `GET /seq/sessions/{id}`: a captured session. The service's refusals
 * become the replay errors that say what is wrong with the session (400,
 * 403, 404, 410); any other failure is the usual typed error.
 */
export function* fetchSession(config: CoreConfig, sessionId: unknown, options: CallOptions): Op<Session> {
  const id = checkSessionUuid(sessionId);
  let data: unknown;
  try {
    ({ data } = yield* callJson(config, { method: "GET", path: `/seq/sessions/${encodeURIComponent(id)}`, timeoutMs: options.timeout ?? config.timeoutMs }));
  } catch (error) {
    throw sessionError(error, id);
  }
  if (!isJsonObject(data)) throw new ReplaySessionNotFoundError(`The service answered the fetch of session ${id} with no session.`, { statusCode: 404 });
  return readSession(data, id);
}

function sessionError(error: unknown, id: string): unknown {
  if (!(error instanceof NoukaiError)) return error;
  const init = { statusCode: error.statusCode, code: error.code, requestId: error.requestId, headers: error.headers, responseBody: error.responseBody, cause: error };
  const said = error.message.replace(/^HTTP \d+( [A-Z_]+)?: /, "");
  switch (error.statusCode) {
    case 400:
      return new ReplayInvalidSessionError(`Session ${id} was refused: ${said}`, init);
    case 403:
      return new ReplayForbiddenError(`This API key may not see session ${id}: ${said}`, init);
    case 404:
      return new ReplaySessionNotFoundError(`No session ${id} was found: ${said}`, init);
    case 410:
      return new ReplaySessionExpiredError(`Session ${id} has expired: ${said}`, init);
    default:
      return error;
  }
}

/** Reads a session as either spelling of its keys gives it. */
export function readSession(data: Record<string, unknown>, requested: string): Session {
  const executions = pick(data, "executions");
  return {
    sessionId: text(pick(data, "sessionId")) ?? requested,
    executions: Array.isArray(executions) ? executions.filter(isJsonObject).map(readExecution) : [],
  };
}

function readExecution(raw: Record<string, unknown>): SessionExecution {
  const steps = pick(raw, "steps");
  const snapshots = pick(raw, "snapshotsAvailable");
  return {
    ...raw,
    executionId: text(pick(raw, "executionId")) ?? "",
    flowId: text(pick(raw, "flowId")) ?? null,
    slug: text(raw["slug"]) ?? null,
    triggerType: text(pick(raw, "triggerType")) ?? null,
    status: text(raw["status"]) ?? "completed",
    startedAt: text(pick(raw, "startedAt")) ?? null,
    completedAt: text(pick(raw, "completedAt")) ?? null,
    traceCaptureMode: text(pick(raw, "traceCaptureMode")) ?? null,
    snapshotsAvailable: typeof snapshots === "boolean" ? snapshots : true,
    steps: Array.isArray(steps) ? steps.filter(isJsonObject).map(readStep) : [],
    errorAtStep: text(pick(raw, "errorAtStep")) ?? null,
  };
}

function readStep(raw: Record<string, unknown>): SessionStep {
  const input = pick(raw, "inputSnapshot");
  const error = pick(raw, "errorSnapshot");
  const rounds = pick(raw, "toolRounds");
  const step: SessionStep = {
    ...raw,
    stepId: text(pick(raw, "stepId")) ?? "",
    attempt: count(raw["attempt"]) ?? 1,
    loopIndex: count(pick(raw, "loopIndex")) ?? null,
    status: text(raw["status"]) ?? "completed",
    startedAt: text(pick(raw, "startedAt")) ?? null,
    completedAt: text(pick(raw, "completedAt")) ?? null,
    durationMs: count(pick(raw, "durationMs")) ?? null,
    inputSnapshot: isJsonObject(input) ? input : null,
    outputSnapshot: pick(raw, "outputSnapshot") ?? null,
    errorSnapshot: isJsonObject(error) ? error : null,
    truncated: pick(raw, "truncated") === true,
  };
  if (Array.isArray(rounds)) step.toolRounds = rounds.filter(isJsonObject).map(readToolRound);
  return step;
}

/** A recorded tool round; its calls and messages are the service's to shape, and go back to a replaying client as they came. */
function readToolRound(round: Record<string, unknown>): SessionToolRound {
  const calls: unknown = round["toolCalls"];
  const messages: unknown = round["toolCallMessages"];
  return {
    toolCalls: (Array.isArray(calls) ? calls : []) as SessionToolRound["toolCalls"],
    toolCallMessages: (Array.isArray(messages) ? messages : []) as SessionToolRound["toolCallMessages"],
    iterationsUsed: count(round["iterationsUsed"]) ?? 0,
  };
}

/** A field under its camelCase name, else under its snake_case one (`executionId`, `execution_id`). */
function pick(raw: Record<string, unknown>, camel: string): unknown {
  const snake = camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return Object.hasOwn(raw, camel) ? raw[camel] : Object.hasOwn(raw, snake) ? raw[snake] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
