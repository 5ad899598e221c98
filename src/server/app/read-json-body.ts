import { nestedDeeperThan } from "../../core/json-depth.js";
import { MAX_JSON_DEPTH } from "../json/depth.js";
import { jsonBytes } from "../json/json-size.js";
import { jsonSyntaxProblem } from "../json/syntax-error.js";
import type { ByteBudget } from "../state/byte-budget.js";
import { badRequest, HttpError } from "./http-error.js";
import { BodyBudgetError, BodyTooLargeError, type AppRequest } from "./http-types.js";
import { kindOf } from "./message-text.js";

/** The most a caller may send of its own. */
export const MAX_BODY_BYTES = 1024 * 1024;
// Room for the JSON around re-sent outputs (braces, keys of steps that were run again).
const RESENT_SLACK_BYTES = 64 * 1024;

export interface BodyLimits {
  /** Shared by every body being received: past it a request is answered 503 SERVER_BUSY. */
  budget: ByteBudget;
  /**
   * Bytes of `accumulatedOutputs` a body may carry beyond the caller's own
   * 1 MiB: a /step call (and a tool resume on /execute) re-sends the run's
   * earlier outputs, which the server lets grow to maxRunOutputBytes.
   */
  resentOutputBytes: number;
}

/**
 * Reads and parses the body: 413 BODY_TOO_LARGE (over 1 MiB of the caller's
 * own, re-sent outputs aside), 503 SERVER_BUSY (too many bodies at once),
 * 400 INVALID_JSON, 400 BAD_REQUEST (not an object, or nested too deep).
 */
export function readJsonObject(request: AppRequest, limits: BodyLimits): Promise<{ text: string; value: Record<string, unknown> }> {
  const limit = MAX_BODY_BYTES + (limits.resentOutputBytes > 0 ? limits.resentOutputBytes + RESENT_SLACK_BYTES : 0);
  const length = Number(request.header("content-length"));
  if (length > limit) return Promise.reject(tooLarge(limit, limits));
  // One promise per body: the parse runs in the callback that receives it.
  return request.readBody(limit, limits.budget).then(
    (body) => {
      try {
        return { text: body.text, value: parse(body.text, body.bytes) };
      } finally {
        limits.budget.give(body.bytes);
      }
    },
    (error: unknown) => {
      if (error instanceof BodyTooLargeError) throw tooLarge(limit, limits);
      if (error instanceof BodyBudgetError) throw new HttpError(503, "SERVER_BUSY", "the server is receiving too many request bodies at once; retry shortly", { "retry-after": "1" });
      throw error;
    },
  );
}

function parse(text: string, bytes: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest(`the request body is ${jsonSyntaxProblem(text)}`, "INVALID_JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(`the request body must be a JSON object, got ${kindOf(value)}`);
  }
  if (nestedDeeperThan(text, value, MAX_JSON_DEPTH)) {
    throw badRequest(`the request body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  const object = value as Record<string, unknown>;
  if (bytes > MAX_BODY_BYTES) {
    // Only re-sent outputs may take a body past 1 MiB; weighed without building their JSON.
    const resent = Object.hasOwn(object, "accumulatedOutputs") ? jsonBytes(object.accumulatedOutputs, bytes) : 0;
    if (bytes - resent > MAX_BODY_BYTES) {
      throw new HttpError(413, "BODY_TOO_LARGE", `the request body holds ${bytes - resent} bytes besides accumulatedOutputs; the limit is ${MAX_BODY_BYTES}`);
    }
  }
  return object;
}

function tooLarge(limit: number, limits: BodyLimits): HttpError {
  const why = limits.resentOutputBytes > 0 ? ` (${MAX_BODY_BYTES} of the caller's own, plus the run's earlier outputs re-sent in accumulatedOutputs)` : "";
  return new HttpError(413, "BODY_TOO_LARGE", `the request body exceeds ${limit} bytes${why}`);
}
