/** Scripted answers for the official-client defect tests (run on the RecordingServer's thread). */
import type { Responder } from "../recording-server.js";
import { sendJson } from "../recording-server.js";

export const pausedAnswer = {
  status: "tool_calls_required",
  executionId: "exec-1",
  pausedAtStep: "step-1",
  iterationsUsed: 1,
  toolCallMessages: [{ role: "user", content: "hi" }],
  toolCalls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
  accumulatedOutputs: {},
  flowId: "f",
  blockCount: 1,
};

const completed = { status: "completed", result: "ok", executionId: "exec-1", flowId: "f", blockCount: 1 };

/** A CRLF-framed stream that ends without a pause or terminal event. */
export const crlfStreamEndingEarly: Responder = (_request, res) => {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.end('event: run_started\r\ndata: {"runId":"r","executionId":"e"}\r\n\r\nevent: step_started\r\ndata: {"stepId":"s"}\r\n\r\n');
};

/** 503 with a Retry-After date 1.5 s ahead, then success. */
export const busyOnceWithDate: Responder = (_request, res, index) => {
  if (index === 0) return sendJson(res, 503, { detail: "busy" }, { "retry-after": new Date(Date.now() + 1500).toUTCString() });
  sendJson(res, 200, { status: "completed", result: 1, flowId: "f", blockCount: 1 });
};

/** Paused on a fresh call, completed on a resume. */
export const pauseThenComplete: Responder = (request, res) => {
  const body = JSON.parse(request.body) as { executionId?: string };
  sendJson(res, 200, body.executionId === undefined ? pausedAnswer : completed);
};

/** A job that the poll reports as cancelled. */
export const cancelledJob: Responder = (request, res) => {
  if (request.method === "POST") return sendJson(res, 202, { executionId: "job-1", status: "pending", flowId: "f", blockCount: 1 });
  sendJson(res, 200, { executionId: "job-1", status: "cancelled", result: null, error: "cancelled by operator" });
};

/** 429 with a Retry-After date 90 s ahead. */
export const rateLimitedWithDate: Responder = (_request, res) =>
  sendJson(res, 429, { detail: { code: "RATE_LIMITED", message: "slow down" } }, { "retry-after": new Date(Date.now() + 90_000).toUTCString() });

export const alwaysCompleted: Responder = (_request, res) => sendJson(res, 200, completed);

export const redirectElsewhere: Responder = (_request, res) => {
  res.writeHead(307, { location: "https://elsewhere.example/steal" });
  res.end();
};
