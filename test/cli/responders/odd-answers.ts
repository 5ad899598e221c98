/**
 * A server whose successful answers are not what the command line expects
 * (RecordingServer responders): text that is not JSON, JSON of the wrong
 * shape, a body that never ends, the API key echoed inside JSON escapes, and
 * text carrying terminal controls where ids, statuses and costs go.
 */
import type http from "node:http";
import type { Responder } from "../../helpers/recording-server.js";

/** An escape sequence that would retitle the window, a colour like the command's own, and a mark that reverses text. */
export const HOSTILE = "\u001b]0;pwned\u0007\u001b[32m\u202e";
export const SESSION = "11111111-2222-4333-8444-555555555555";

const json = (res: http.ServerResponse, body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
const frame = (event: string, data: object) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const notJson: Responder = (_request, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Welcome to nginx</body></html>");
export const flowsOfNulls: Responder = (_request, res) => json(res, { flows: [null] });
export const flowsOfOddVersions: Responder = (_request, res) => json(res, { flows: [{ org: "o", project: "p", slug: "s", name: null, steps: 1, versions: "1,2", production: null }] });

/** A 200 whose body never ends: what the client reads of it must stay bounded. */
export const endless: Responder = (_request, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"flows":["');
  const chunk = "x".repeat(1 << 20);
  const more = () => {
    while (res.write(chunk));
  };
  res.on("drain", more);
  res.on("close", () => res.off("drain", more));
  more();
};

/** The listing names a flow after the key the request carried: a key with `"` in it is escaped in the JSON text. */
export const echoKey: Responder = (request, res) => {
  const key = String(request.headers.authorization ?? "").replace(/^Bearer /, "");
  json(res, { flows: [{ org: "o", project: "p", slug: "s", name: `echo ${key}`, steps: 1, versions: [], production: null }] });
};

export const emptyTrace: Responder = (_request, res) => json(res, {});
export const traceOfNullSteps: Responder = (_request, res) => json(res, { flowRun: { id: "x", status: "completed" }, steps: null });
export const traceOfOddFields: Responder = (_request, res) =>
  json(res, { flowRun: { id: `run${HOSTILE}`, status: `completed${HOSTILE}` }, steps: [{ stepId: { a: 1 }, attempt: 1, status: "completed", tokens: null, costUsd: 0.5 }] });
export const attemptsOfNull: Responder = (_request, res) => json(res, { stepId: "x", attempts: null });
export const stepTraceOfHostileId: Responder = (_request, res) => json(res, { stepId: `x${HOSTILE}`, attempt: 1, status: "completed" });

export const oddSession: Responder = (_request, res) =>
  json(res, {
    sessionId: `${SESSION}${HOSTILE}`,
    executions: [
      {
        executionId: `exec${HOSTILE}`,
        slug: `slug${HOSTILE}`,
        triggerType: `api${HOSTILE}`,
        status: `failed${HOSTILE}`,
        steps: [{ stepId: "s", status: "failed", errorSnapshot: { message: { detail: "x" } } }],
      },
    ],
  });

/** A run whose step reports `"tokens": null` and a cost that is a number and carries controls. */
export const runOfOddStep: Responder = (_request, res) =>
  res
    .writeHead(200, { "content-type": "text/event-stream" })
    .end(
      frame("run_started", { runId: "exec-1", executionId: "exec-1", stepCount: 1 }) +
        frame("step_completed", { stepId: "plan", name: "Plan", durationMs: 1, tokens: null, costUsd: `0.1${HOSTILE}` }) +
        frame("flow_completed", { runId: "exec-1", executionId: "exec-1", result: "done" }),
    );

/** Every event of a run, with a C1 control and a reversing mark in its text. */
export const eventsWithControls: Responder = (_request, res) =>
  res
    .writeHead(200, { "content-type": "text/event-stream" })
    .end(frame("run_started", { runId: "exec-1", executionId: "exec-1", stepCount: 0 }) + frame("flow_completed", { runId: "exec-1", executionId: "exec-1", result: "a\u009b2Jb\u202ec" }));

export const jobWithHostileId: Responder = (_request, res) =>
  res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ executionId: `exec-1; rm -rf ~${HOSTILE}`, status: "queued" }));
export const jobStatusHostile: Responder = (_request, res) => json(res, { executionId: "exec-1", status: `failed${HOSTILE}`, error: `boom${HOSTILE}` });

/** Records the run's input and refuses it: what the command line sent is what a test looks at. */
export const refuse: Responder = (_request, res) => res.writeHead(400, { "content-type": "application/json" }).end('{"detail":{"code":"BAD","message":"no"}}');

/** Every path moved elsewhere: the client follows no redirect and names where it pointed. */
export const moved: Responder = (_request, res) => res.writeHead(302, { location: "https://elsewhere.example/api/v1/local/flows" }).end();

/** A refusal whose message carries controls and a colour like the command's own. */
export const refuseHostile: Responder = (_request, res) =>
  res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ detail: { code: "FLOW_NOT_FOUND", message: `no such flow${HOSTILE}` } }));
