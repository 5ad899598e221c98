import { setTimeout as sleep } from "node:timers/promises";
import { type FaultKind, startServer } from "noukai/server";
import { TEST_FLOWS } from "../../helpers/test-flows.js";
import { uuidAt } from "../support/seeded.js";
import { TcpRelay } from "../support/tcp-relay.js";
import { TsChild } from "../support/ts-child.js";
import type { Door } from "./lane.js";
import { startsRun } from "./operations.js";
import type { FromLoad, LoadReport, MemorySample, ToLoad } from "./messages.js";
import { type FaultRunSize, faultRules, serverLimits } from "./plan.js";
import { countExecutions } from "./session-count.js";
import { decodeStatus, OUTCOME, type Tally } from "./tally.js";

const LOAD_CHILD = new URL("./load-child.ts", import.meta.url);
const API_KEY = "nk_reliability_fault_suite";

/** Past these, memory is not flat: a leak of a few hundred bytes a call shows over thousands of calls. */
export const MEMORY_LIMITS = { heapGrowthMB: 24, rssGrowthMB: 96 };
/** A process with nothing left to do exits in milliseconds; seconds mean something kept it alive. */
export const EXIT_LIMIT_MS = 3_000;

export interface FaultReport {
  size: FaultRunSize;
  durationMs: number;
  calls: number;
  settled: number;
  byClient: Tally["calls"];
  outcomes: { ok: number; typedError: number; wrong: number };
  byOperation: Tally["byOperation"];
  byPhase: Tally["byPhase"];
  faultsInjected: Partial<Record<FaultKind, number>>;
  retries: Record<string, number>;
  executionsStarted: number;
  idempotentReplays: number;
  runStartingCalls: number;
  /** Sessions that show more than one execution. Must be 0. */
  duplicates: number;
  /** Successful run-starting calls whose session shows no execution. Must be 0. */
  missing: number;
  /** Failed run-starting calls whose execution ran anyway (an answer lost for good): allowed, counted. */
  ranButFailed: number;
  /** Executions the server started that no session accounts for. Must be 0. */
  unaccounted: number;
  unhandledRejections: number;
  resourcesLeft: string[];
  exitMs: number;
  exitCode: number | null;
  memory: MemorySample[];
  slowest: Tally["slowest"];
  /** Everything that went wrong, in words. Must be empty. */
  problems: string[];
}

/**
 * The fault suite: a local server with seeded fault injection behind a front
 * door that closes mid-run, reopens on another port, and closes for good near
 * the end; a child process hammering it with both clients; then the checks,
 * made on the server's own records.
 */
export async function runFaultScenario(size: FaultRunSize, onProgress?: (settled: number) => void): Promise<FaultReport> {
  const server = await startServer({ port: 0, seed: size.seed, faults: faultRules(size), flows: TEST_FLOWS, ...serverLimits(size) });
  const doors: TcpRelay[] = [await TcpRelay.start(server.port)];
  const child = new TsChild<ToLoad, FromLoad>(LOAD_CHILD);
  const problems: string[] = [];
  try {
    const started = Date.now();
    const firstDoor = doors[0] as TcpRelay;
    child.send({ type: "start", size, apiKey: API_KEY, door: { url: firstDoor.baseUrl, phase: "first door" } });
    let moved = false;
    let gone = false;
    const moveDoor = (door: Door) => child.send({ type: "door", door });
    child.onMessage((message) => {
      if (message.type !== "progress") return;
      onProgress?.(message.settled);
      if (!moved && message.settled >= size.moveAt * size.calls) {
        moved = true;
        moveDoor({ url: firstDoor.baseUrl, phase: "outage" });
        void firstDoor.stop().then(async () => {
          await new Promise((resolve) => setTimeout(resolve, size.outageMs));
          const second = await TcpRelay.start(server.port);
          doors.push(second);
          // Callers that learn the new address move there; the old one stays dead.
          moveDoor({ url: second.baseUrl, phase: "second door" });
        });
      }
      if (moved && !gone && doors.length === 2 && message.settled >= size.goneAt * size.calls) {
        gone = true;
        const second = doors[1] as TcpRelay;
        void second.stop().then(() => moveDoor({ url: second.baseUrl, phase: "no door" }));
      }
    });
    const { report } = await child.next((m): m is Extract<FromLoad, { type: "report" }> => m.type === "report", size.maxDurationMs);
    const reportedAt = Date.now();
    const exit = await Promise.race([child.exited, sleep(15_000, undefined, { ref: false })]);
    const exitMs = exit === undefined ? Infinity : exit.at - reportedAt;
    const stats = await server.stats();
    return await check(size, report, stats, { exitMs, exitCode: exit?.code ?? null, durationMs: Date.now() - started }, server.baseUrl, problems);
  } finally {
    child.kill();
    await Promise.all(doors.map((door) => door.stop()));
    await server.close();
  }
}

async function check(
  size: FaultRunSize,
  load: LoadReport,
  stats: { faults: Partial<Record<FaultKind, number>>; executionsStarted: number; idempotentReplays: number },
  exit: { exitMs: number; exitCode: number | null; durationMs: number },
  serverUrl: string,
  problems: string[],
): Promise<FaultReport> {
  const { tally } = load;
  problems.push(...tally.problems);
  if (tally.problemCount > tally.problems.length) problems.push(`… and ${tally.problemCount - tally.problems.length} more problems`);

  const runStarting: { index: number; ok: boolean }[] = [];
  const outcomes = { ok: 0, typedError: 0, wrong: 0 };
  let settled = 0;
  load.statuses.forEach((byte, index) => {
    const status = decodeStatus(byte);
    if (status === undefined) return void problems.push(`call ${index} never settled`);
    settled += 1;
    if (status.outcome === OUTCOME.ok) outcomes.ok += 1;
    else if (status.outcome === OUTCOME.typedError) outcomes.typedError += 1;
    else outcomes.wrong += 1;
    if (startsRun(status.operation)) {
      runStarting.push({ index, ok: status.outcome === OUTCOME.ok });
    }
  });

  const counts = await countExecutions(serverUrl, API_KEY, runStarting.map(({ index }) => uuidAt(size.seed, index)));
  let duplicates = 0;
  let missing = 0;
  let ranButFailed = 0;
  runStarting.forEach(({ index, ok }, at) => {
    const executions = counts[at] ?? 0;
    if (executions > 1) {
      duplicates += 1;
      problems.push(`call ${index} ran ${executions} executions on the server`);
    }
    if (ok && executions === 0) {
      missing += 1;
      problems.push(`call ${index} succeeded, but its session shows no execution`);
    }
    if (!ok && executions === 1) ranButFailed += 1;
  });
  const accounted = counts.reduce((sum, count) => sum + count, 0);
  const unaccounted = stats.executionsStarted - accounted;
  if (unaccounted !== 0) problems.push(`the server started ${stats.executionsStarted} executions, the sessions show ${accounted}`);

  if (tally.unhandledRejections > 0) problems.push(`${tally.unhandledRejections} unhandled rejections`);
  if (load.resourcesLeft.length > 0) problems.push(`after close(), still alive: ${load.resourcesLeft.join(", ")}`);
  if (exit.exitMs > EXIT_LIMIT_MS) problems.push(`the load process took ${exit.exitMs} ms to exit after its last call`);
  if (exit.exitCode !== 0) problems.push(`the load process exited with code ${exit.exitCode}`);
  problems.push(...memoryProblems(load.memory, size));

  return {
    size,
    durationMs: exit.durationMs,
    calls: size.calls,
    settled,
    byClient: tally.calls,
    outcomes,
    byOperation: tally.byOperation,
    byPhase: tally.byPhase,
    faultsInjected: stats.faults,
    retries: tally.retries,
    executionsStarted: stats.executionsStarted,
    idempotentReplays: stats.idempotentReplays,
    runStartingCalls: runStarting.length,
    duplicates,
    missing,
    ranButFailed,
    unaccounted,
    unhandledRejections: tally.unhandledRejections,
    resourcesLeft: load.resourcesLeft,
    exitMs: exit.exitMs,
    exitCode: exit.exitCode,
    memory: load.memory,
    slowest: tally.slowest,
    problems,
  };
}

/** Flat: from the end of the warm-up (the first tenth of the calls) to the end, memory may not keep growing. */
export function memoryProblems(samples: readonly MemorySample[], size: FaultRunSize): string[] {
  const warm = samples.find((sample) => sample.settled >= 0.1 * size.calls);
  const end = samples.filter((sample) => sample.afterClose !== true).at(-1);
  if (warm === undefined || end === undefined || warm === end) return ["too few memory samples to tell"];
  const problems: string[] = [];
  const heap = end.heapUsedMB + end.externalMB - (warm.heapUsedMB + warm.externalMB);
  if (heap > MEMORY_LIMITS.heapGrowthMB) problems.push(`heap and buffers grew ${heap.toFixed(1)} MB after the warm-up`);
  const rss = end.rssMB - warm.rssMB;
  if (rss > MEMORY_LIMITS.rssGrowthMB) problems.push(`resident memory grew ${rss.toFixed(1)} MB after the warm-up`);
  return problems;
}
