/**
 * A hostile server that sends the caller's Authorization header back, in
 * every place an answer has (RawServer responders): the SDK must scrub it
 * before it reaches an error, a log event, or anything the caller can print.
 */
import type { RawRequest, RawResponder } from "../../reliability/support/raw-server.js";
import { answer, frame, head, json } from "./raw-http.js";

const echo = (request: RawRequest): string => request.headers["authorization"] ?? "";
/** The bare key, for places where "Bearer " would not fit. */
const key = (request: RawRequest): string => echo(request).replace(/^Bearer /, "");

export const inErrorDetail: RawResponder = (request, socket) =>
  json(socket, 400, { detail: { code: "BAD_KEY", message: `refused ${echo(request)}` } }, { "x-request-id": key(request) });

export const inRateLimit: RawResponder = (request, socket) =>
  json(socket, 429, { detail: { code: "RATE_LIMITED", message: `slow down, ${key(request)}` } }, { "x-request-id": key(request), "retry-after": "0" });

export const inHtmlTitle: RawResponder = (request, socket) =>
  answer(socket, 502, `<html><head><title>Gateway saw ${echo(request)}</title></head></html>`, { "content-type": "text/html" });

export const inPlainText: RawResponder = (request, socket) => answer(socket, 500, `upstream said: ${echo(request)}`, { "content-type": "text/plain" });

export const inWwwAuthenticate: RawResponder = (request, socket) =>
  json(socket, 401, { detail: "expired" }, { "www-authenticate": `Bearer error="invalid_token", error_description="${key(request)} expired"` });

export const inLocation: RawResponder = (request, socket) =>
  void socket.end(head(307, { location: `https://elsewhere.example/?key=${key(request)}`, "content-length": 0 }));

export const inSuccessWithoutStatus: RawResponder = (request, socket) => json(socket, 200, { echo: echo(request) }, { "x-request-id": key(request) });

export const inJobWithoutId: RawResponder = (request, socket) => json(socket, 202, { echo: echo(request) }, { "x-request-id": key(request) });

export const inTraceNotAnObject: RawResponder = (request, socket) => json(socket, 200, [echo(request)], { "x-request-id": key(request) });

export const inSuccessNotJson: RawResponder = (request, socket) => answer(socket, 200, `<p>${echo(request)}</p>`, { "content-type": "text/html", "x-request-id": key(request) });

export const inMalformedHead: RawResponder = (request, socket) =>
  void socket.end(`HTTP/1.1 200 OK\r\nX-Echo: ${echo(request)}\rInjected: 1\r\nContent-Length: 2\r\n\r\n{}`);

const eventStream = (request: RawRequest, socket: Parameters<RawResponder>[1], frames: string): void => {
  socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nx-request-id: ${key(request)}\r\nconnection: close\r\n\r\n`);
  socket.end(frames);
};

export const inStepError: RawResponder = (request, socket) =>
  eventStream(request, socket, frame("run_started", { runId: "r", executionId: "e" }) + frame("step_error", { stepId: "s", name: "s", error: { code: "LEAK", message: `model saw ${echo(request)}` } }));

export const inFlowFailed: RawResponder = (request, socket) =>
  eventStream(request, socket, frame("run_started", { runId: "r", executionId: "e" }) + frame("flow_failed", { executionId: "e", error: { code: "LEAK", message: `failed with ${echo(request)}` } }));

export const inIncompleteStream: RawResponder = (request, socket) => eventStream(request, socket, frame("run_started", { runId: "r", executionId: "e" }));

/** A tool pause whose call ids carry the key: an error that lists the ids the flow asked for must not show it. */
export const inToolCallIds: RawResponder = (request, socket) =>
  json(socket, 200, {
    status: "tool_calls_required",
    executionId: "exec-1",
    pausedAtStep: "s",
    iterationsUsed: 1,
    toolCallMessages: [{ role: "user", content: "hi" }],
    toolCalls: [{ id: `call_${key(request)}`, type: "function", function: { name: "f", arguments: "{}" } }],
    accumulatedOutputs: {},
    flowId: "f",
    blockCount: 1,
  });

/** The key spelt with JSON escapes (as some encoders write `/` as `\/`): text-level scrubbing alone would miss it. */
const escaped = (text: string): string => text.replace(/_/g, "\\u005f");

export const inEscapedErrorDetail: RawResponder = (request, socket) =>
  answer(socket, 400, `{"detail":{"code":"BAD_KEY","message":"refused ${escaped(echo(request))}"}}`, { "content-type": "application/json" });

export const inEscapedSuccessWithoutStatus: RawResponder = (request, socket) =>
  answer(socket, 200, `{"echo":"${escaped(echo(request))}"}`, { "content-type": "application/json" });

export const inEscapedStepError: RawResponder = (request, socket) =>
  eventStream(
    request,
    socket,
    frame("run_started", { runId: "r", executionId: "e" }) +
      `event: step_error\ndata: {"stepId":"s","error":{"code":"LEAK","message":"model saw ${escaped(echo(request))}"}}\n\n`,
  );

/**
 * A tool pause whose call's arguments, JSON text inside the JSON answer, spell
 * the key with an escape of their own: the answer holds no key, even parsed;
 * the arguments, parsed in turn (as a span with payloads does), do. The
 * resume that follows completes the run.
 */
export const inEscapedToolArguments: RawResponder = (request, socket) => {
  if (request.body.includes('"role":"tool"')) return json(socket, 200, { status: "completed", result: "done", executionId: "exec-1", flowId: "f", blockCount: 1 });
  const secret = key(request);
  const args = `{"apiKey":"\\u${secret.charCodeAt(0).toString(16).padStart(4, "0")}${secret.slice(1)}"}`;
  return json(socket, 200, {
    status: "tool_calls_required",
    executionId: "exec-1",
    pausedAtStep: "s",
    iterationsUsed: 1,
    toolCallMessages: [{ role: "user", content: "hi" }],
    toolCalls: [{ id: "call_1", type: "function", function: { name: "f", arguments: args } }],
    accumulatedOutputs: {},
    flowId: "f",
    blockCount: 1,
  });
};
