/**
 * The local server's resident memory under load that used to exhaust it:
 * thousands of executions that each carry a one-megabyte message, and
 * requests whose blockOverrides make a template repeat large values a
 * thousand times. The server runs alone in a child process with its default
 * limits; the figures are its resident memory after a full collection once
 * the load is over, and the highest it reached meanwhile.
 *
 * Bounded form in `server-memory.test.ts`; the full 5,000 / 100 with
 * `node test/reliability/support/ts-entry.mjs test/reliability/hardening/server-memory.ts`.
 */
import { request } from "node:http";
import { pathToFileURL } from "node:url";
import { HostedServer, type HostReading } from "../support/hosted-server.js";

/** What the README states: resident memory after a collection, data budgets and the process itself. */
export const STATED_BUDGET_MB = 512;
/** The V8 heap limit the server runs under here. */
export const HEAP_LIMIT_MB = 384;

export interface MemorySize {
  executions: number;
  amplifications: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export const BOUNDED_MEMORY: MemorySize = { executions: 250, amplifications: 24, concurrency: 8 };
export const SOAK_MEMORY: MemorySize = { executions: 5_000, amplifications: 100, concurrency: 8 };

export interface MemoryPhase {
  requests: number;
  /** Answers by status and, for failed runs and refusals, code. */
  answers: Record<string, number>;
  /** Resident memory after a full collection, once the phase is over, and the V8 heap in use then. */
  rssMB: number;
  heapUsedMB: number;
  /** The highest resident memory since the server started. */
  peakRssMB: number;
  /** What the server's stores weighed then, in MB. */
  storedMB: { executions: number; idempotency: number };
  seconds: number;
}

export interface ServerMemoryReport {
  budgetMB: number;
  startRssMB: number;
  executions: MemoryPhase;
  amplifications: MemoryPhase;
  problems: string[];
}

const KEY = "nk_memory";
const MESSAGE = "m".repeat(1_000_000);
/** The request the issue reported: 28 KB that made a 400 MB answer the server kept. */
const AMPLIFYING = JSON.stringify({
  message: "y".repeat(400),
  blockOverrides: { outline: { template: "{{message}}".repeat(1000) }, write: { template: "{{message}}{{steps.outline}}".repeat(600) } },
});
/** The same idea with the largest body allowed: each step repeats the whole message. */
const AMPLIFYING_LARGE = JSON.stringify({
  message: "z".repeat(900_000),
  blockOverrides: { outline: { template: "{{message}}{{message}}" }, write: { template: "{{steps.outline}}{{steps.outline}}{{steps.outline}}" } },
});

export async function measureServerMemory(size: MemorySize): Promise<ServerMemoryReport> {
  // With its heap capped at the budget, a server that kept more than it states would die here.
  const server = await HostedServer.start({}, { heapLimitMB: HEAP_LIMIT_MB });
  const problems: string[] = [];
  try {
    const start = await server.read();
    const executions = await phase(server, size.executions, size.concurrency, (i) => ({
      path: "/api/v1/seq/examples/demo/hello/execute",
      // Every other one with an Idempotency-Key: recorded answers are weighed too.
      body: JSON.stringify({ message: `${i} ${MESSAGE}` }),
      key: i % 2 === 0 ? `memory-${i}` : undefined,
    }));
    const amplifications = await phase(server, size.amplifications, size.concurrency, (i) => {
      const body = i % 2 === 0 ? AMPLIFYING : AMPLIFYING_LARGE;
      // One in three through a /step stream that runs every step.
      if (i % 3 === 2) return { path: "/api/v1/seq/examples/demo/two-step/step", body: `${body.slice(0, -1)},"runRemaining":true}`, key: undefined };
      return { path: "/api/v1/seq/examples/demo/two-step/v0/execute", body, key: undefined };
    });
    for (const [name, measured] of [["executions", executions], ["amplification attempts", amplifications]] as const) {
      if (measured.rssMB > STATED_BUDGET_MB) problems.push(`the server kept ${measured.rssMB} MB resident after the ${name} (budget ${STATED_BUDGET_MB} MB)`);
      if (measured.answers.transport) problems.push(`${measured.answers.transport} ${name} got no answer`);
    }
    const completed = Object.entries(amplifications.answers).filter(([answer]) => answer.startsWith("200 completed")).reduce((sum, [, count]) => sum + count, 0);
    if (completed > 0) problems.push(`${completed} amplification attempts completed instead of failing on an output limit`);
    const last = await server.read();
    if (last.warnings.length > 0) problems.push(`the server warned: ${last.warnings.join(" | ")}`);
    return { budgetMB: STATED_BUDGET_MB, startRssMB: start.memory.rssMB, executions, amplifications, problems };
  } finally {
    await server.stop();
  }
}

interface Call {
  path: string;
  body: string;
  key: string | undefined;
}

async function phase(server: HostedServer, count: number, concurrency: number, call: (index: number) => Call): Promise<MemoryPhase> {
  const started = Date.now();
  const answers: Record<string, number> = {};
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const answer = await send(server.port, call(next++));
      answers[answer] = (answers[answer] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const reading: HostReading = await server.read();
  const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
  return {
    requests: count,
    answers,
    rssMB: reading.memory.rssMB,
    heapUsedMB: reading.memory.heapUsedMB,
    peakRssMB: reading.peakRssMB,
    storedMB: { executions: mb(reading.stats.stored.executionBytes), idempotency: mb(reading.stats.stored.idempotencyBytes) },
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** One POST; resolves with "STATUS", plus the run's status or the error code ("200 completed", "200 failed OUTPUT_TOO_LARGE", "503 SERVER_BUSY"). */
function send(port: number, call: Call): Promise<string> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${KEY}`, "content-type": "application/json", "content-length": Buffer.byteLength(call.body) };
    if (call.key !== undefined) headers["idempotency-key"] = call.key;
    const req = request({ host: "127.0.0.1", port, path: call.path, method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        // Only the start and the end matter; the middle of a large answer is not kept.
        text = text.length < 4096 ? text + chunk : text.slice(0, 2048) + chunk.slice(-2048);
      });
      res.on("end", () => resolve(`${res.statusCode ?? 0} ${outcomeOf(text)}`.trim()));
      res.on("error", () => resolve("transport"));
    });
    req.on("error", () => resolve("transport"));
    req.end(call.body);
  });
}

function outcomeOf(text: string): string {
  const status = /^\{"status":"(\w+)"/.exec(text)?.[1];
  // A failed run's result names the limit; an error or a step_error carries a code.
  const cause = /\b(max[A-Za-z]+Bytes)\b/.exec(text)?.[1] ?? /"code":"([A-Z_]+)"/.exec(text)?.[1];
  if (text.startsWith("event:")) return `stream ${/event: (\w+)\ndata: [^\n]*\n\n$/.exec(text)?.[1] ?? "cut"} ${cause ?? ""}`.trim();
  return [status, cause].filter(Boolean).join(" ");
}

// Run as a script (through ts-entry.mjs, which passes this file as its argument).
if (process.argv.slice(1, 3).some((arg) => import.meta.url === pathToFileURL(arg).href)) {
  const report = await measureServerMemory(process.argv.includes("--bounded") ? BOUNDED_MEMORY : SOAK_MEMORY);
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.problems.length === 0 ? 0 : 1;
}
