import type { MemorySample } from "../fault/messages.js";

const MB = 1024 * 1024;
const round = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/**
 * This process's memory after a full collection when the process was started
 * with `--expose-gc` (so that what is measured is what is kept, not garbage
 * that happens to be waiting).
 */
export function sampleMemory(settled: number): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { settled, heapUsedMB: round(usage.heapUsed), externalMB: round(usage.external), rssMB: round(usage.rss) };
}

/** Resources in `now` beyond those in `before` (each counted as often as it appears). */
export function resourcesBeyond(before: readonly string[], now: readonly string[]): string[] {
  const left = [...before];
  return now.filter((resource) => {
    const at = left.indexOf(resource);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}
