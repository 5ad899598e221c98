/**
 * Answers nested as deep as the client reads (2,000 levels), and one level
 * deeper (RecordingServer responders). JSON.parse reads any depth; what the
 * client does with a value afterwards (scrubbing the key, the `redact`
 * paths, a cassette) must not run out of stack on it.
 */
import type http from "node:http";
import type { Responder } from "../recording-server.js";

/** The most levels the client reads. */
export const READ_DEPTH = 2_000;

/** Arrays nested `levels` deep around `inner`, as text: JSON.stringify stops a few thousand levels down. */
export function nestedText(levels: number, inner = ""): string {
  return "[".repeat(levels) + inner + "]".repeat(levels);
}

/**
 * The request's key as a JSON string whose first letter is an escape: the
 * text holds no key for a search to find, the parsed string does.
 */
function escapedKey(request: { headers: http.IncomingHttpHeaders }): string {
  const key = String(request.headers["authorization"]).replace(/^Bearer /, "");
  return `"\\u${key.charCodeAt(0).toString(16).padStart(4, "0")}${key.slice(1)}"`;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "x-request-id": "req_deep" });
  res.end(body);
}

/** The answer object is one level, its result the rest. */
const answer = (result: string) => `{"status":"completed","result":${result},"executionId":"exec-deep","flowId":"flow_o/p/s","blockCount":1}`;

/** The events of a one-step run whose output and result are `result`: each event is one level, the value the rest. */
const run = (result: string) =>
  [
    `event: run_started\ndata: {"runId":"exec-deep","executionId":"exec-deep","flowId":"flow_o/p/s","stepCount":1}\n\n`,
    `event: step_completed\ndata: {"stepId":"s","output":${result}}\n\n`,
    `event: flow_completed\ndata: {"runId":"exec-deep","executionId":"exec-deep","result":${result}}\n\n`,
  ].join("");

export const answerAtLimit: Responder = (request, res) => send(res, 200, "application/json", answer(nestedText(READ_DEPTH - 1, escapedKey(request))));

export const answerPastLimit: Responder = (_request, res) => send(res, 200, "application/json", answer(nestedText(READ_DEPTH)));

export const eventsAtLimit: Responder = (request, res) => send(res, 200, "text/event-stream", run(nestedText(READ_DEPTH - 1, escapedKey(request))));

export const eventsPastLimit: Responder = (_request, res) => send(res, 200, "text/event-stream", run(nestedText(READ_DEPTH)));

/** A refusal whose detail nests past the limit: its status still says what it is. */
export const refusalPastLimit: Responder = (_request, res) =>
  send(res, 400, "application/json", `{"detail":{"code":"BAD_INPUT","message":"refused","context":${nestedText(READ_DEPTH)}}}`);

export const plainAnswer: Responder = (_request, res) => send(res, 200, "application/json", answer('"ok"'));
