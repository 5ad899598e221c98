/**
 * Memory per stored run, measured in a fresh process (see server-memory.ts):
 * the app in this process, RUNS executes of the one-step `examples/demo/hello`
 * flow (each kept for traces, as the server keeps every run), full garbage
 * collections before and after. Prints the growth per run of resident memory
 * and of the JS heap, in bytes, as JSON.
 */
import { createServerApp } from "../dist/server.js";
import { collectGarbage } from "./measure.js";

const RUNS = Number(process.argv[2] ?? 10_000);
const app = createServerApp({ maxExecutions: RUNS + 1_000, maxRunBytes: 2 ** 31 });
const init = {
  method: "POST",
  headers: { authorization: "Bearer nk_bench", "content-type": "application/json" },
  body: '{"message":"bench","trace":false}',
};
const call = async () => {
  const response = await app.fetch(new Request("http://127.0.0.1/api/v1/seq/examples/demo/hello/execute", init));
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  await response.text();
};

// Warm up (JIT, the stores' first growth), then settle.
for (let i = 0; i < 500; i++) await call();
const settle = () => {
  for (let i = 0; i < 4; i++) collectGarbage();
  return process.memoryUsage();
};
const before = settle();
for (let i = 0; i < RUNS; i++) await call();
const after = settle();
if (app.stats().stored.executions < RUNS) throw new Error("the runs were not all kept");
console.log(JSON.stringify({ rss: (after.rss - before.rss) / RUNS, heap: (after.heapUsed - before.heapUsed) / RUNS, counted: app.stats().stored.executionBytes / app.stats().stored.executions }));
await app.close();
