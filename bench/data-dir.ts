/**
 * What a data directory (`--data`, `dataDir`) costs the local server: execute
 * round trips one at a time, in memory and with a data directory (each answer
 * waits for its SQLite write), and how long a server takes to start on a
 * directory holding many executions (it reads them all back).
 * Run with `npx tsup --silent && node --import tsx bench/data-dir.ts`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../dist/server.js";

const KEY = "nk_bench_key";
const CALLS = 2_000;
const KEPT = 5_000;

/** One keep-alive connection, each call sent when the previous answer is read. */
async function executeLoop(baseUrl: string, calls: number): Promise<number> {
  const url = new URL(`${baseUrl}/seq/examples/demo/hello/execute`);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = '{"message":"bench"}';
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json", "content-length": String(body.length) };
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { method: "POST", headers, agent }, (res) => {
        res.resume();
        res.once("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.once("error", reject);
      req.end(body);
    });
  const start = performance.now();
  for (let n = 0; n < calls; n++) await one();
  const rate = calls / ((performance.now() - start) / 1000);
  agent.destroy();
  return rate;
}

const dir = await mkdtemp(join(tmpdir(), "noukai-bench-data-"));
try {
  for (const dataDir of [undefined, dir]) {
    const server = await startServer({ port: 0, ...(dataDir ? { dataDir } : {}) });
    await executeLoop(server.baseUrl, 200); // warm-up
    const rate = await executeLoop(server.baseUrl, CALLS);
    console.log(`${dataDir ? "with a data directory" : "in memory"}: ${rate.toFixed(0)} execute round trips/s, one at a time (${CALLS} calls)`);
    await server.close();
  }
  // Top the directory up to KEPT executions, then time a start that reads them back.
  const filler = await startServer({ port: 0, dataDir: dir });
  await executeLoop(filler.baseUrl, KEPT - CALLS - 400);
  const kept = (await filler.stats()).stored.executions;
  await filler.close();
  const start = performance.now();
  const restarted = await startServer({ port: 0, dataDir: dir });
  const startMs = performance.now() - start;
  console.log(`start on a directory of ${(await restarted.stats()).stored.executions} executions (${kept} kept before): ${startMs.toFixed(0)} ms`);
  await restarted.close();
  const fresh = performance.now();
  await (await startServer({ port: 0 })).close();
  console.log(`start and close without a data directory: ${(performance.now() - fresh).toFixed(0)} ms`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
