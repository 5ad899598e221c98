/**
 * A server whose text carries terminal escape sequences (RecordingServer
 * responders): a step named to retitle the window, a result that writes the
 * clipboard (OSC 52) and clears the line, a refusal that clears the screen.
 * Model output can carry them as easily as a hostile server.
 */
import type http from "node:http";
import type { Responder } from "../recording-server.js";

export const STEP_NAME = "\u001b]0;pwned\u0007Plan";
export const RESULT = "Done\u001b]52;c;ZXZpbA==\u0007\r\nnext\tline\u001b[2K\u202e";
export const REFUSAL = "no\u001b[2J\u001b[Hsuch flow";

const frame = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "x-request-id": "req_escapes" });
  res.end(body);
}

export const run: Responder = (_request, res) =>
  send(
    res,
    200,
    "text/event-stream",
    frame("run_started", { runId: "exec-1", executionId: "exec-1", stepCount: 1 }) +
      frame("step_started", { stepId: "plan", name: STEP_NAME }) +
      frame("step_completed", { stepId: "plan", name: STEP_NAME, output: { text: "x" }, durationMs: 1 }) +
      frame("flow_completed", { runId: "exec-1", executionId: "exec-1", result: RESULT }),
  );

export const refusal: Responder = (_request, res) => send(res, 404, "application/json", JSON.stringify({ detail: { code: "FLOW_NOT_FOUND", message: REFUSAL } }));
