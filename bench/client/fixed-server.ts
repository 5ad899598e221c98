/**
 * The fixed-response server the client benchmarks run against, in a process
 * of its own (so its CPU and memory are not the client's). It answers every
 * execute with the same JSON, streams `/step` as `events` SSE events, and on
 * `/timed` sends 50 events 20 ms apart, each stamped with the time it was
 * flushed. Prints its port on stdout.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { flowCompleted, frame, runStarted, stepCompleted } from "./fixed-events.js";

const EXECUTE_BODY = JSON.stringify({
  status: "completed",
  result: { answer: "The mock model says hello." },
  executionId: "9f1c2d3e-0000-4000-8000-000000000001",
  flowId: "flow-1",
  blockCount: 1,
});

function streamEvents(res: http.ServerResponse, count: number): void {
  res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_bench" });
  res.write(runStarted(count));
  let sent = 0;
  const batch = (): void => {
    let chunk = "";
    const until = Math.min(count, sent + 500);
    for (; sent < until; sent++) chunk += stepCompleted(sent);
    if (sent >= count) {
      res.end(chunk + flowCompleted());
    } else if (res.write(chunk)) {
      setImmediate(batch);
    } else {
      res.once("drain", batch);
    }
  };
  batch();
}

function timedEvents(res: http.ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(frame("run_started", { runId: "r-1", executionId: "r-1" }));
  let sent = 0;
  const tick = setInterval(() => {
    if (sent === 50) {
      clearInterval(tick);
      res.end(frame("flow_completed", { result: "done" }));
      return;
    }
    res.write(frame("step_completed", { stepId: `s-${sent++}`, output: null, sentAt: performance.timeOrigin + performance.now() }));
  }, 20);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const url = req.url ?? "";
    if (url.endsWith("/execute")) {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "req_bench" });
      res.end(EXECUTE_BODY);
    } else if (url.includes("/timed/")) {
      timedEvents(res);
    } else if (url.endsWith("/step")) {
      const count = Number(/\/events-(\d+)\//.exec(url)?.[1] ?? 1000);
      streamEvents(res, count);
    } else {
      res.writeHead(404).end();
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
