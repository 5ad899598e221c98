/**
 * The job queue's figures at the server's defaults (4 workers, 250 ms
 * pickup): how long a lone job takes from its submission to `running` and to
 * `completed`, and how many jobs a second the default workers complete when
 * many wait. Run with `npx tsup --silent && node --import tsx bench/job-queue.ts`;
 * `-- --data` runs the same with a fresh data directory (`dataDir`), to see
 * what keeping the state on disk costs the queue.
 *
 * Times are seen by polling every 5 ms, so each is late by up to one poll
 * (plus a round trip); the medians of several jobs are printed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../dist/server.js";

const KEY = "nk_bench_key";
const dataDir = process.argv.includes("--data") ? await mkdtemp(join(tmpdir(), "noukai-bench-")) : undefined;
const server = await startServer({ port: 0, ...(dataDir ? { dataDir } : {}) });
console.log(dataDir ? `state kept in a data directory (${dataDir})` : "state in memory");
const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const url = (slug: string, suffix: string) => `${server.baseUrl}/seq/examples/demo/${slug}${suffix}`;

async function submit(slug: string, message: string): Promise<string> {
  const answer = await fetch(url(slug, "/jobs"), { method: "POST", headers, body: JSON.stringify({ message }) });
  return ((await answer.json()) as { executionId: string }).executionId;
}

async function status(slug: string, id: string): Promise<string> {
  const answer = await fetch(url(slug, `/jobs/${id}`), { headers });
  return ((await answer.json()) as { status: string }).status;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds from submission to the first poll that saw `running` (or later), and to `completed`. */
async function lifetime(slug: string): Promise<{ running: number; completed: number }> {
  const start = performance.now();
  const id = await submit(slug, "bench");
  let running = Number.NaN;
  for (;;) {
    const now = await status(slug, id);
    const at = performance.now() - start;
    if (now !== "pending" && Number.isNaN(running)) running = at;
    if (now === "completed") return { running, completed: at };
    if (now === "failed" || now === "cancelled") throw new Error(`job ${id} ended ${now}`);
    await sleep(5);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

for (const slug of ["hello", "slow"]) {
  const runs = [];
  for (let n = 0; n < 7; n++) runs.push(await lifetime(slug));
  const running = median(runs.map((run) => run.running));
  const completed = median(runs.map((run) => run.completed));
  console.log(`${slug}: submit → running ${running.toFixed(0)} ms, submit → completed ${completed.toFixed(0)} ms (median of ${runs.length} lone jobs)`);
}

// Throughput: many jobs at once, all waiting behind the default workers; the queue is first in, first out.
const count = 100;
const start = performance.now();
const ids = [];
for (let n = 0; n < count; n++) ids.push(await submit("hello", `n${n}`));
const last = ids.at(-1) ?? "";
while ((await status("hello", last)) !== "completed") await sleep(20);
const seconds = (performance.now() - start) / 1000;
console.log(`throughput: ${count} hello jobs in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(1)} jobs/s with the default 4 workers`);
await server.close();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
