/**
 * Local server benchmark: execute round-trips per second at concurrency 1 and
 * 32, and events per second of a 10,000-step `runRemaining` stream, each beside
 * a minimal fixed-response `node:http` server measured the same way in the
 * same run; each figure is the best of a few rounds. Then the memory each
 * stored run holds, in fresh processes. Run alone with `npm run build && tsx bench/server.ts`.
 */
import { pathToFileURL } from "node:url";
import { startServer } from "../dist/server.js";
import { requestsPerSecond, timedRead } from "./http-load.js";
import { measureInProcess } from "./measure.js";
import { startReferenceServer } from "./reference-server.js";
import type { BenchRow } from "./types.js";

const SUITE = "server";
const KEY = "nk_bench";
const STREAM_STEPS = 10_000;
const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };

export async function benchServer(options: { durationMs?: number; rounds?: number } = {}): Promise<BenchRow[]> {
  const durationMs = options.durationMs ?? 1_500;
  const rounds = options.rounds ?? 3;
  const rows: BenchRow[] = [];
  const longFlow = {
    org: "bench",
    project: "load",
    slug: "long",
    draft: { steps: Array.from({ length: STREAM_STEPS }, (_, i) => ({ id: `s${i}`, template: "{{message}}" })) },
  };
  const server = await startServer({ port: 0, flows: [longFlow], maxEventsPerRun: 50_000 });
  try {
    const execute = { url: `${server.baseUrl}/seq/examples/demo/hello/execute`, method: "POST" as const, headers, body: '{"message":"bench","trace":false}' };
    const sample = await (await fetch(execute.url, { method: "POST", headers, body: execute.body })).text();
    const reference = await startReferenceServer({ json: sample });
    try {
      for (const concurrency of [1, 32]) {
        // Rounds alternate between the two servers and each keeps its best: this
        // 2-core machine is shared by client, server and everything else, and a
        // single round mostly measures whatever else was running.
        let limit = 0;
        let value = 0;
        for (let round = 0; round < rounds; round++) {
          limit = Math.max(limit, await requestsPerSecond({ ...execute, url: `${reference.url}/` }, concurrency, durationMs));
          value = Math.max(value, await requestsPerSecond(execute, concurrency, durationMs));
        }
        rows.push({ suite: SUITE, name: `execute round-trips, concurrency ${concurrency}`, value, unit: "req/s", limit, goal: ">= 80% of the limit", met: value >= limit * 0.8 });
      }
    } finally {
      await reference.close();
    }

    const stream = { url: `${server.baseUrl}/seq/bench/load/long/step`, method: "POST" as const, headers, body: '{"message":"x","runRemaining":true}' };
    let measured = await timedRead(stream); // the first read warms up
    for (let round = 0; round < rounds; round++) {
      const read = await timedRead(stream);
      if (read.ms < measured.ms) measured = read;
    }
    const events = countEvents(measured.text);
    if (!measured.text.includes("event: flow_completed")) throw new Error("the 10,000-step stream did not complete");
    const sseReference = await startReferenceServer({ sse: measured.text });
    try {
      let limitRead = await timedRead({ ...stream, url: `${sseReference.url}/` });
      for (let round = 0; round < rounds; round++) {
        const read = await timedRead({ ...stream, url: `${sseReference.url}/` });
        if (read.ms < limitRead.ms) limitRead = read;
      }
      const value = (events / measured.ms) * 1000;
      rows.push({
        suite: SUITE,
        name: `${STREAM_STEPS.toLocaleString("en")}-step runRemaining stream (${events} events)`,
        value,
        unit: "events/s",
        limit: (countEvents(limitRead.text) / limitRead.ms) * 1000,
        goal: ">= 300,000 events/s",
        met: value >= 300_000,
      });
    } finally {
      await sseReference.close();
    }
  } finally {
    await server.close();
  }
  rows.push(memoryRow());
  return rows;
}

const MEMORY_PROCESSES = 3;
const STORED_RUNS = 10_000;

/** Memory per stored run: the median of a few fresh processes (server-memory-one.ts), naming all of them. */
function memoryRow(): BenchRow {
  const figures = Array.from({ length: MEMORY_PROCESSES }, () => JSON.parse(measureInProcess(new URL("./server-memory-one.ts", import.meta.url), [STORED_RUNS])) as { rss: number; heap: number });
  figures.sort((a, b) => a.rss - b.rss);
  const median = figures[MEMORY_PROCESSES >> 1] as { rss: number; heap: number };
  const all = figures.map((figure) => Math.round(figure.rss).toLocaleString("en")).join(", ");
  return {
    suite: SUITE,
    name: `resident memory per stored run (one-step execute, ${STORED_RUNS.toLocaleString("en")} kept; median of ${MEMORY_PROCESSES} processes: ${all} bytes; JS heap ${Math.round(median.heap).toLocaleString("en")} bytes)`,
    value: median.rss,
    unit: "bytes",
  };
}

function countEvents(text: string): number {
  let count = 0;
  for (let at = text.indexOf("event: "); at >= 0; at = text.indexOf("event: ", at + 7)) count++;
  return count;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { formatTable } = await import("./table.js");
  console.log(formatTable(await benchServer()));
}
