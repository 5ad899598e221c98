import { AsyncNoukai } from "noukai";
import type { MemorySample } from "../fault/messages.js";
import { HostedServer } from "../support/hosted-server.js";
import { ATTACKS, type AttackSize } from "./attacks.js";

/** While attacked, the server still answers others: each of these calls must succeed, and in reasonable time. */
const PROBES = 10;
const PROBE_LIMIT_MS = 5_000;
/** After the attacks end, the server's heap (after a collection) returns close to where it started. */
export const HEAP_GROWTH_LIMIT_MB = 24;

export interface AttackResult {
  name: string;
  observed: string;
  details?: string[];
  /** Calls of a well-behaved client during the attack: all succeeded, the slowest took this long. */
  served: { ok: number; failed: number; slowestMs: number };
  /** The server under attack, its heap after a collection, and the sockets it held. */
  during: MemorySample & { connections: number; openStreams: number };
}

export interface AttackReport {
  before: MemorySample;
  after: MemorySample & { connections: number; openStreams: number };
  peakHeapMB: number;
  peakRssMB: number;
  warnings: string[];
  results: AttackResult[];
  problems: string[];
}

/** The local server alone in its process, attacked one way after another while a polite client keeps calling. */
export async function runAttacks(size: AttackSize): Promise<AttackReport> {
  const server = await HostedServer.start({ heartbeatMs: 1_000 });
  const problems: string[] = [];
  const results: AttackResult[] = [];
  try {
    await probe(server.baseUrl, 30);
    const before = (await server.read()).memory;
    let peakHeapMB = before.heapUsedMB;
    let peakRssMB = before.rssMB;
    for (const attack of ATTACKS) {
      const running = await attack.start(server.port, size);
      const served = await probe(server.baseUrl, PROBES);
      const reading = await server.read();
      await running.stop();
      peakHeapMB = Math.max(peakHeapMB, reading.memory.heapUsedMB);
      peakRssMB = Math.max(peakRssMB, reading.memory.rssMB);
      const during = { ...reading.memory, connections: reading.connections, openStreams: reading.stats.stored.openStreams };
      results.push({ name: attack.name, observed: running.observed, ...(running.details ? { details: running.details } : {}), served, during });
      problems.push(...(running.problems ?? []));
      if (served.failed > 0) problems.push(`during "${attack.name}", ${served.failed} of ${PROBES} calls of another client failed`);
      if (served.slowestMs > PROBE_LIMIT_MS) problems.push(`during "${attack.name}", another client's call took ${served.slowestMs} ms`);
    }
    // Dropped sockets and left streams are noticed within a few turns of the server's event loop.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const last = await server.read();
    const after = { ...last.memory, connections: last.connections, openStreams: last.stats.stored.openStreams };
    if (after.heapUsedMB - before.heapUsedMB > HEAP_GROWTH_LIMIT_MB) problems.push(`the server's heap grew ${(after.heapUsedMB - before.heapUsedMB).toFixed(1)} MB`);
    if (after.openStreams > 0) problems.push(`${after.openStreams} streams are still open after their clients left`);
    if (after.connections > 5) problems.push(`${after.connections} connections are still open after the attackers left`);
    if (last.warnings.length > 0) problems.push(`the server warned: ${last.warnings.join(" | ")}`);
    return { before, after, peakHeapMB, peakRssMB, warnings: last.warnings, results, problems };
  } finally {
    await server.stop();
  }
}

async function probe(baseUrl: string, calls: number): Promise<AttackResult["served"]> {
  const client = new AsyncNoukai({ apiKey: "nk_polite_client", baseUrl, timeout: 15_000, maxRetries: 0 });
  const served = { ok: 0, failed: 0, slowestMs: 0 };
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    try {
      const result = await client.flow("examples/demo/hello").execute({ message: `probe ${i}` });
      if (result.status === "completed") served.ok += 1;
      else served.failed += 1;
    } catch {
      served.failed += 1;
    }
    served.slowestMs = Math.max(served.slowestMs, Math.round(performance.now() - started));
  }
  await client.close();
  return served;
}
