/** Answers for the wire-compatibility test: they depend only on the request, so both clients get the same ones. */
import type { ServerResponse } from "node:http";
import type { RecordedRequest } from "../recording-server.js";
import { sendJson } from "../recording-server.js";

const toolCall = { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } };
const paused = {
  status: "tool_calls_required",
  executionId: "exec-1",
  pausedAtStep: "step-1",
  iterationsUsed: 1,
  toolCallMessages: [{ role: "user", content: "hi" }, { role: "assistant", content: null, tool_calls: [toolCall] }],
  toolCalls: [toolCall],
  accumulatedOutputs: { "step-0": { x: 1 } },
  flowId: "f",
  blockCount: 2,
};
const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function answer(request: RecordedRequest, res: ServerResponse): void {
  const path = request.url.split("?")[0] ?? "";
  const body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
  if (path.endsWith("/execute")) {
    const tools = body["tools"] !== undefined;
    if (tools && body["executionId"] === undefined) return sendJson(res, 200, paused);
    return sendJson(res, 200, { status: "completed", result: "ok", executionId: "exec-1", flowId: "f", blockCount: 2 });
  }
  if (path.endsWith("/jobs")) return sendJson(res, 202, { executionId: "job-1", status: "pending", flowId: "f", blockCount: 2 });
  if (path.includes("/jobs/")) return sendJson(res, 200, { executionId: "job-1", status: "completed", result: 1, error: null });
  if (path.endsWith("/trace/stream")) return sse(res, [frame("run_started", { runId: "r", executionId: "exec-1" }), frame("flow_completed", { result: 1 })]);
  if (path.endsWith("/trace") && path.includes("/steps/")) {
    const all = request.url.includes("attempt=all");
    const trace = { stepId: "s-1", attempt: 1, status: "completed" };
    return sendJson(res, 200, all ? { stepId: "s-1", attempts: [trace] } : trace);
  }
  if (path.endsWith("/trace")) return sendJson(res, 200, { flowRun: { id: "exec-1", flowId: "f", status: "completed" }, steps: [] });
  if (path.endsWith("/step")) return sse(res, stepFrames(body));
  res.writeHead(404).end();
}

function stepFrames(body: Record<string, unknown>): string[] {
  const index = body["stepIndex"] as number;
  const started = body["executionId"] === undefined ? [frame("run_started", { runId: "exec-1", executionId: "exec-1", stepCount: 2 })] : [];
  const wantsTools = body["tools"] !== undefined && body["toolCallMessages"] === undefined;
  if (wantsTools) {
    return [...started, frame("step_paused_for_tool_calls", { ...paused, runId: "exec-1", stepId: "s-1", stepIndex: index, accumulatedOutputs: {} })];
  }
  const steps: string[] = [];
  const last = body["runRemaining"] === true ? 1 : index;
  for (let i = index; i <= last; i++) {
    steps.push(frame("step_started", { stepId: `s-${i}`, stepIndex: 0 }), frame("step_completed", { stepId: `s-${i}`, output: { step: i } }));
  }
  const end = last >= 1 ? frame("flow_completed", { runId: "exec-1", executionId: "exec-1", result: "done" }) : frame("step_paused", { stepId: `s-${last}`, stepIndex: 0 });
  return [...started, ...steps, end];
}

function sse(res: ServerResponse, frames: string[]): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.end(frames.join(""));
}

