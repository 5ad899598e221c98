/**
 * Tool-call pauses whose calls are not objects with an id (RecordingServer
 * responders): a whole `/execute` answer, and a `/step` stream's event.
 */
import type http from "node:http";
import type { Responder } from "../recording-server.js";

/** The calls of each pause: a null, a number, a string, then a call with no id. */
export const JUNK_CALLS = [null, 5, "x", { type: "function", function: { name: "lookup", arguments: "{}" } }];

function send(res: http.ServerResponse, contentType: string, body: string): void {
  res.writeHead(200, { "content-type": contentType, "x-request-id": "req_junk_calls" });
  res.end(body);
}

const pause = (toolCalls: unknown) => ({
  executionId: "exec-junk",
  iterationsUsed: 1,
  toolCallMessages: [{ role: "assistant", content: null, tool_calls: [] }],
  toolCalls,
});

/** `/execute` paused for the `index`-th junk call alone. */
export const pausedWith =
  (index: number): Responder =>
  (_request, res) =>
    send(res, "application/json", JSON.stringify({ status: "tool_calls_required", pausedAtStep: "s", accumulatedOutputs: {}, flowId: "f", blockCount: 1, ...pause([JUNK_CALLS[index]]) }));

export const pausedWithNull = pausedWith(0);
export const pausedWithNumber = pausedWith(1);
export const pausedWithString = pausedWith(2);
export const pausedWithoutId = pausedWith(3);

/** A `/step` stream that pauses for a call with no id. */
export const streamPausedWithoutId: Responder = (_request, res) =>
  send(
    res,
    "text/event-stream",
    `event: run_started\ndata: {"executionId":"exec-junk","flowId":"f","stepCount":1}\n\n` +
      `event: step_paused_for_tool_calls\ndata: ${JSON.stringify({ stepId: "s", ...pause([JUNK_CALLS[3]]) })}\n\n`,
  );
