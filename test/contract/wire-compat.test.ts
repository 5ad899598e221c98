/**
 * The same calls, made by this client and by the official `@noukai/sdk`
 * 0.3.0, arrive at a recording server as the same requests: method, path
 * and JSON body equal; headers as Part A §5 says (ours add an
 * Idempotency-Key, keep the session on resumes, and name this SDK).
 */
import { Noukai as OfficialNoukai } from "@noukai/sdk";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY } from "../helpers/clients.js";
import { type RecordedRequest, RecordingServer, sendJson } from "../helpers/recording-server.js";

const DEV_ORIGIN = "http://localhost:8080";
const realFetch = globalThis.fetch;
let server: RecordingServer;

beforeAll(async () => {
  server = await new RecordingServer().start();
  const origin = new URL(server.baseUrl).origin;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return realFetch(url.startsWith(DEV_ORIGIN) ? origin + url.slice(DEV_ORIGIN.length) : input, init);
  };
  server.respond(answer);
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await server.close();
});

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

/** Answers depend only on the request, so both clients get the same answers. */
function answer(request: RecordedRequest, res: ServerResponse): void {
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

type Scenario = (client: ReturnType<typeof makeClient>) => Promise<unknown>;

async function drain(iterable: AsyncIterable<unknown>, resume = false): Promise<void> {
  for await (const event of iterable) {
    const e = event as { type: string; resume?: (a: unknown) => Promise<void> };
    if (resume && e.type === "tool_calls_required") await e.resume?.({ toolResults: [{ role: "tool", tool_call_id: "call_1", content: "sunny" }] });
  }
}

const handler = (calls: { id: string }[]) => calls.map((call) => ({ role: "tool" as const, tool_call_id: call.id, content: "sunny" }));
const tools = [{ type: "function", function: { name: "get_weather" } }];

/** Each scenario is written once and run by both clients (the official one sees the same calls). */
const SCENARIOS: Record<string, Scenario> = {
  "execute with a message": (c) => c.flow("acme/spelling/grade-3").execute({ message: "hi" }),
  "execute with no message": (c) => c.flow("acme/spelling/grade-3").execute({}),
  "execute with every option": (c) =>
    c.flow("acme/spelling/grade-3").execute({
      message: "hi",
      parameters: { k: "v" },
      blockOverrides: { "step-1": { temperature: 0.5 } },
      attachments: [{ url: "https://x/y.png", mimeType: "image/png" }],
      toolChoice: "auto",
      trace: true,
      version: 3,
      sessionId: "sess-explicit",
    }),
  "execute with a tool handler, then the resume": (c) =>
    c.flow("acme/spelling/grade-3").execute({ message: "hi", parameters: { p: 1 }, tools, toolHandler: handler }),
  "identifiers that need encoding": (c) => c.flow({ org: "café", project: "a-b", slug: "s[1]|{x}" }).execute({ message: "hi" }),
  "steps, one call per step": (c) => drain(c.flow("acme/spelling/two-step").steps({ message: "hi", parameters: { p: 1 }, inputOverrides: { s: 1 } })),
  "events with runRemaining": (c) => drain(c.flow("acme/spelling/two-step").events({ message: "hi", runRemaining: true, trace: true, version: 2 })),
  "events paused for tools, resumed in the stream": (c) => drain(c.flow("acme/spelling/two-step").events({ message: "hi", tools }), true),
  "executeAsync, poll and wait": async (c) => {
    const job = await c.flow("acme/spelling/grade-3").executeAsync({ message: "hi", parameters: { k: 1 }, blockOverrides: { s: { m: 1 } }, version: 2 });
    await job.poll();
    await job.wait({ pollInterval: 10 });
  },
  "traces": async (c) => {
    const run = c.flow("acme/spelling/grade-3").run("exec-1");
    await run.trace();
    await run.stepTrace("s-1");
    await run.stepTrace("s-1", { attempt: "all", loopIndex: 3 });
    await run.stepTrace("s-1", { attempt: 2 });
    await drain(run.liveTrace());
  },
};

async function record(scenario: Scenario, client: () => unknown): Promise<RecordedRequest[]> {
  server.requests.length = 0;
  await scenario(client() as ReturnType<typeof makeClient>);
  return [...server.requests];
}

const comparable = (request: RecordedRequest) => ({
  method: request.method,
  url: request.url,
  body: request.body === "" ? undefined : (JSON.parse(request.body) as unknown),
});

describe.each(CLIENT_KINDS)("%s on the wire, beside @noukai/sdk 0.3.0", (kind) => {
  it.each(Object.keys(SCENARIOS))("%s", async (name) => {
    const scenario = SCENARIOS[name] as Scenario;
    const official = await record(scenario, () => new OfficialNoukai({ apiKey: TEST_KEY, env: "dev", maxRetries: 0 }));
    const ours = await record(scenario, () => makeClient(kind, { apiKey: TEST_KEY, baseUrl: server.baseUrl, maxRetries: 0 }));
    expect(official.length).toBeGreaterThan(0);
    expect(ours.map(comparable)).toEqual(official.map(comparable));
    ours.forEach((request, index) => {
      const theirs = official[index] as RecordedRequest;
      expect(request.headers["authorization"]).toBe(`Bearer ${TEST_KEY}`);
      expect(request.headers["x-noukai-api-version"]).toBe(theirs.headers["x-noukai-api-version"]);
      expect(request.headers["user-agent"]).toMatch(/^noukai-ts\/\d+\.\d+\.\d+ \(node\//);
      expect(request.headers["content-type"]).toBe(request.method === "POST" ? "application/json" : undefined);
      const startsOrResumes = request.method === "POST";
      expect(request.headers["idempotency-key"] !== undefined).toBe(startsOrResumes);
      // The session travels wherever the official client sends it, and on resumes too.
      if (theirs.headers["x-session-id"] !== undefined) expect(request.headers["x-session-id"]).toBe(theirs.headers["x-session-id"]);
    });
  });
});
