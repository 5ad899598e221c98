/** Small measuring tools for the client benchmarks. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Closed-loop throughput: `concurrency` loops each await `call()` back to
 * back; completed calls per second over `durationMs`, after a warm-up.
 */
export async function callsPerSecond(call: () => Promise<unknown>, concurrency: number, durationMs: number, warmupMs = 400): Promise<number> {
  let counting = false;
  let stop = false;
  let completed = 0;
  const loop = async (): Promise<void> => {
    while (!stop) {
      await call();
      if (counting) completed++;
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  await sleep(warmupMs);
  counting = true;
  const started = performance.now();
  await sleep(durationMs);
  counting = false;
  const elapsed = performance.now() - started;
  stop = true;
  await Promise.all(loops);
  return (completed / elapsed) * 1000;
}

/**
 * Throughput of a blocking call: back to back on this thread for
 * `durationMs`, after a warm-up. (A blocking call never yields to the event
 * loop, so the timer-driven loop above would never stop.)
 */
export function blockingCallsPerSecond(call: () => unknown, durationMs: number, warmupMs = 400): number {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) call();
  let completed = 0;
  const started = performance.now();
  const end = started + durationMs;
  while (performance.now() < end) {
    call();
    completed++;
  }
  return (completed / (performance.now() - started)) * 1000;
}

/**
 * The best timing of `task`, in ms, run again and again for `ms` (at least
 * once). A time, not a count: a faster contender would otherwise be watched
 * for less time than a slower one, and so see fewer of the machine's quiet
 * moments (see client/suite.ts).
 */
export async function bestWithin(ms: number, task: () => Promise<void>): Promise<number> {
  let best = Infinity;
  const end = performance.now() + ms;
  do {
    const started = performance.now();
    await task();
    best = Math.min(best, performance.now() - started);
  } while (performance.now() < end);
  return best;
}

/** `bestWithin` for a task that holds the thread until it is done (the blocking client's). */
export function bestWithinBlocking(ms: number, task: () => void): number {
  let best = Infinity;
  const end = performance.now() + ms;
  do {
    const started = performance.now();
    task();
    best = Math.min(best, performance.now() - started);
  } while (performance.now() < end);
  return best;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs the garbage collector when the process allows it (`--expose-gc`). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Runs a measuring script in a fresh Node process (TypeScript through tsx,
 * with `--expose-gc`) and returns what it printed: no measurement inherits
 * another's JIT state, garbage or timers.
 */
export function measureInProcess(script: URL, args: (string | number)[]): string {
  const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(script), ...args.map(String)], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`${fileURLToPath(script)} ${args.join(" ")} failed: ${child.stderr}`);
  return child.stdout.trim();
}

/** Runs a plain JavaScript script in a fresh Node process with no loader (nothing between Node and the modules it times) and returns its stdout. */
export function runPlain(script: URL, args: (string | number)[]): string {
  const child = spawnSync(process.execPath, [fileURLToPath(script), ...args.map(String)], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`${fileURLToPath(script)} ${args.join(" ")} failed: ${child.stderr}`);
  return child.stdout.trim();
}
