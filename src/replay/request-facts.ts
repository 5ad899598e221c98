import type { Operation, OutgoingRequest } from "../core/middleware.js";
import { isJsonObject } from "../core/json-object.js";
import type { RecordedInput } from "./cassette.js";

/** Calls that start a run; the others (resumes, polls, traces) concern one that was started. */
export function startsRun(operation: Operation): boolean {
  return operation === "execute" || operation === "steps" || operation === "events" || operation === "executeAsync";
}

/** What a call started with, as far as matching by input compares it. */
export function inputOf(body: Readonly<Record<string, unknown>> | undefined): RecordedInput {
  const input: RecordedInput = {};
  if (body === undefined) return input;
  const { message, messages, parameters } = body;
  if (typeof message === "string") input.message = message;
  if (Array.isArray(messages)) input.messages = messages as unknown[];
  if (isJsonObject(parameters) && Object.keys(parameters).length > 0) input.parameters = parameters;
  return input;
}

/** The execution a request concerns: a resume's or a later /step's body, or a poll's or trace's path. */
export function executionIdOf(request: OutgoingRequest): string | undefined {
  const fromBody = request.body?.["executionId"];
  if (typeof fromBody === "string" && fromBody !== "") return fromBody;
  const fromPath = /\/(?:jobs|runs)\/([^/?]+)/.exec(request.path)?.[1];
  return fromPath === undefined ? undefined : decodeURIComponent(fromPath);
}

/** Requests that start or resume a run: the ones a capture scope tags with its session, as the official clients do (and resumes too). */
export function tagsSession(request: OutgoingRequest): boolean {
  return request.method === "POST" && /\/(execute|step|jobs)$/.test(request.path);
}
