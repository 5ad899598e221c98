/**
 * The fixed-response server the client benchmarks run against, in a process
 * of its own (so its CPU and memory are not the client's). It answers every
 * execute with the same JSON, streams `/step` as `events` SSE events (the same
 * bytes every time), and on
 * `/timed` sends 300 events 10 ms apart, each stamped with the time it was
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

/**
 * A stream's bytes, rendered once per length and kept: the server should cost
 * as little per event as it can, so that the clients' figures are theirs.
 * Written 500 events per write, with backpressure.
 */
const LARGE_OUTPUT_CHARS = 256 * 1024;

const renderedStreams = new Map<string, Buffer[]>();

function rendered(count: number, outputChars: number): Buffer[] {
  const key = `${count}/${outputChars}`;
  let batches = renderedStreams.get(key);
  if (batches === undefined) {
    batches = [Buffer.from(runStarted(count))];
    const perBatch = outputChars > 0 ? 1 : 500;
    for (let from = 0; from < count; from += perBatch) {
      let text = "";
      for (let i = from; i < Math.min(count, from + perBatch); i++) text += stepCompleted(i, outputChars);
      batches.push(Buffer.from(text));
    }
    batches.push(Buffer.from(flowCompleted()));
    renderedStreams.set(key, batches);
  }
  return batches;
}

function streamEvents(res: http.ServerResponse, count: number, outputChars: number): void {
  res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_bench" });
  const batches = rendered(count, outputChars);
  let next = 0;
  const write = (): void => {
    while (next < batches.length - 1) {
      if (!res.write(batches[next++])) {
        res.once("drain", write);
        return;
      }
    }
    res.end(batches[next]);
  };
  write();
}

/** Enough samples that the 99th percentile is not simply the slowest one. */
const TIMED_EVENTS = 300;

function timedEvents(res: http.ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(frame("run_started", { runId: "r-1", executionId: "r-1" }));
  let sent = 0;
  const tick = setInterval(() => {
    if (sent === TIMED_EVENTS) {
      clearInterval(tick);
      res.end(frame("flow_completed", { result: "done" }));
      return;
    }
    res.write(frame("step_completed", { stepId: `s-${sent++}`, output: null, sentAt: performance.timeOrigin + performance.now() }));
  }, 10);
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
      // `events-N`: N short steps; `large-N`: N steps of 256 Ki characters each.
      const [, kind, count] = /\/(events|large)-(\d+)\//.exec(url) ?? [];
      streamEvents(res, Number(count ?? 1000), kind === "large" ? LARGE_OUTPUT_CHARS : 0);
    } else {
      res.writeHead(404).end();
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log((server.address() as AddressInfo).port));
