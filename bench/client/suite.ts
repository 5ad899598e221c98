/**
 * Client benchmarks: `AsyncNoukai` (issue 3) and the blocking `Noukai`
 * (issue 4) beside the official `@noukai/sdk` 0.3.0 and raw keep-alive
 * `node:http` (the limit), all against one fixed-response server in another
 * process. Each measurement runs in a fresh process (./measure-one.ts);
 * rounds alternate between contenders and each keeps its best: this 2-core
 * machine runs the client, the server and everything else, and a single
 * round mostly measures whatever else was running.
 */
import { measureInProcess, runPlain } from "../measure.js";
import type { BenchRow } from "../types.js";
import { startFixedServer } from "./fixed-server-process.js";

const DURATION_MS = 1_500;
const ROUNDS = 3;
/**
 * Stream rows take more measuring than the others. On this machine, how fast
 * memory-bound work runs (`JSON.parse`, allocation) changes in phases: the
 * same 160-character step parses in about 1.0 µs for a while, then in about
 * 2.0 µs, each phase lasting from about a second to well over ten, within
 * one process as well as across processes. Parsing is most of a client's work
 * per event, so a stream figure mostly says which phase it met. Each
 * contender therefore reads streams in 10 processes, for the same time in
 * each, and keeps its best: a fixed number of streams would watch a faster
 * client for less time than a slower one, and give it fewer chances to meet
 * a fast phase.
 */
const STREAM_PROCESS_ROUNDS = 10;
const LATENCY_PROCESSES = 3;
const FIRST_CALL_PROCESSES = 9;
const STREAM_EVENTS = 20_000;
const MEMORY_EVENTS = 200_000;
/** How long each process reads streams after its warm-up stream; one 20,000-event stream takes 40 to 200 ms. */
const STREAM_MS = 1_500;
const CLIENT = "client";
const BLOCKING = "blocking client";

export async function benchClients(): Promise<BenchRow[]> {
  const server = await startFixedServer();
  try {
    return [
      ...(await executeRows(server.port)),
      ...(await streamRows(server.port)),
      ...(await memoryRows(server.port)),
      await latencyRow(server.port),
      ...firstCallRows(server.port),
    ];
  } finally {
    server.stop();
  }
}

/** Runs `measure-one.ts` for one contender in a fresh process and returns its figure. */
function measureApart(args: (string | number)[]): number {
  const figure = Number(measureInProcess(new URL("./measure-one.ts", import.meta.url), args));
  if (!Number.isFinite(figure)) throw new Error(`measuring ${args.join(" ")} gave no figure`);
  return figure;
}

/**
 * Best figure of each contender over alternating rounds, each measured in a
 * process of its own: the highest rate, or with `lowest` the least memory.
 */
function best(names: string[], args: (string | number)[], lowest = false, rounds = ROUNDS): Record<string, number> {
  const figures: Record<string, number> = {};
  const better = lowest ? Math.min : Math.max;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const figure = measureApart([name, ...args]);
      figures[name] = better(figures[name] ?? figure, figure);
    }
  }
  return figures;
}

async function executeRows(port: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const concurrency of [1, 64]) {
    const names = ["undici", "raw", "ours", "official", "viaFetch", ...(concurrency === 1 ? ["blocking", "oursInScope"] : [])];
    const rps = best(names, ["execute", port, concurrency, DURATION_MS]);
    const [undici, raw, mine, theirs] = [rps["undici"] ?? 0, rps["raw"] ?? 0, rps["ours"] ?? 0, rps["official"] ?? 0];
    const name = (who: string) => `execute round trips/s, concurrency ${concurrency}: ${who}`;
    const limitIs = "raw undici Pool.request";
    rows.push(
      {
        suite: CLIENT,
        name: name("AsyncNoukai"),
        value: mine,
        unit: "calls/s",
        limit: undici,
        limitIs,
        goal: `≥ 1.0× raw undici Pool.request (${times(mine, undici)}; ${times(mine, raw)} raw node:http; ${times(mine, theirs)} official)`,
        met: mine >= undici,
      },
      { suite: CLIENT, name: name("raw keep-alive node:http, same bytes"), value: raw, unit: "calls/s", limit: undici, limitIs },
      { suite: CLIENT, name: name("@noukai/sdk 0.3.0"), value: theirs, unit: "calls/s", limit: undici, limitIs },
      { suite: CLIENT, name: name("AsyncNoukai over fetch (transport comparison)"), value: rps["viaFetch"] ?? 0, unit: "calls/s", limit: undici, limitIs },
    );
    if (concurrency === 1) {
      const sync = rps["blocking"] ?? 0;
      const inScope = rps["oursInScope"] ?? 0;
      const overheadMs = 1000 / sync - 1000 / mine;
      rows.push(
        { suite: CLIENT, name: name(`AsyncNoukai inside a capture scope, every call tagged with a session (${times(inScope, mine)} of outside)`), value: inScope, unit: "calls/s", limit: undici, limitIs },
        { suite: BLOCKING, name: name("Noukai"), value: sync, unit: "calls/s", limit: undici, limitIs, goal: `≥ official async (${times(sync, theirs)})`, met: sync >= theirs },
        { suite: BLOCKING, name: "per-call overhead of Noukai over AsyncNoukai", value: overheadMs, unit: "ms", goal: "< 0.15 ms", met: overheadMs < 0.15, decimals: 3 },
      );
    }
  }
  return rows;
}

async function streamRows(port: number): Promise<BenchRow[]> {
  const rates = best(["bare", "bareIterator", "raw", "ours", "official", "blocking"], ["stream", port, STREAM_EVENTS, STREAM_MS], false, STREAM_PROCESS_ROUNDS);
  const [bare, socket, mine, theirs, sync] = [rates["bare"] ?? 0, rates["raw"] ?? 0, rates["ours"] ?? 0, rates["official"] ?? 0, rates["blocking"] ?? 0];
  const iterated = rates["bareIterator"] ?? 0;
  const replayed = best(["ours", "official"], ["replay", 0, STREAM_EVENTS, STREAM_MS], false, STREAM_PROCESS_ROUNDS);
  const [mineAlone, theirsAlone] = [replayed["ours"] ?? 0, replayed["official"] ?? 0];
  const name = (who: string) => `events/s through events({ runRemaining }), ${STREAM_EVENTS.toLocaleString("en")}-event stream: ${who}`;
  const alone = (who: string, rate: number) =>
    `the same stream replayed from memory through fetch (the client's own work, ${((1 / rate) * 1e6).toFixed(2)} µs per event): ${who}`;
  const limitIs = "bare parse";
  return [
    { suite: CLIENT, name: name("AsyncNoukai"), value: mine, unit: "events/s", limit: bare, limitIs, goal: `≥ 0.9× the bare parse (${times(mine, bare)}; ${times(mine, iterated)} the bare parse through an iterator; ${times(mine, theirs)} official)`, met: mine >= 0.9 * bare },
    { suite: CLIENT, name: name("the bare parse: node:http + eventsource-parser + JSON.parse per event, nothing else"), value: bare, unit: "events/s", limit: bare, limitIs },
    { suite: CLIENT, name: name("the bare parse handed out through an async iterator read with for await (what any iterator API adds)"), value: iterated, unit: "events/s", limit: bare, limitIs },
    { suite: CLIENT, name: name("raw node:http counting blank lines (the socket alone)"), value: socket, unit: "events/s", limit: bare, limitIs },
    { suite: CLIENT, name: name("@noukai/sdk 0.3.0"), value: theirs, unit: "events/s", limit: bare, limitIs },
    { suite: BLOCKING, name: name("Noukai"), value: sync, unit: "events/s", limit: bare, limitIs, goal: `≥ 0.8× AsyncNoukai (${times(sync, mine)})`, met: sync >= 0.8 * mine },
    { suite: CLIENT, name: `${alone("AsyncNoukai", mineAlone)} (${times(mineAlone, theirsAlone)} official)`, value: mineAlone, unit: "events/s" },
    { suite: CLIENT, name: alone("@noukai/sdk 0.3.0", theirsAlone), value: theirsAlone, unit: "events/s" },
  ];
}

/**
 * Import plus first call, in a fresh process per measurement
 * (./first-call.mjs): the median of FIRST_CALL_PROCESSES per client,
 * alternating, since one start-up is one sample of a noisy machine.
 */
function firstCallRows(port: number): BenchRow[] {
  const samples: Record<string, number[]> = { ours: [], blocking: [], "blocking-main": [], official: [] };
  for (let round = 0; round < FIRST_CALL_PROCESSES; round++) {
    for (const [name, list] of Object.entries(samples)) list.push(Number(runPlain(new URL("./first-call.mjs", import.meta.url), [name, port])));
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? NaN;
  const [mine, sync, syncMain, theirs] = [median(samples["ours"] ?? []), median(samples["blocking"] ?? []), median(samples["blocking-main"] ?? []), median(samples["official"] ?? [])];
  const name = (who: string) => `import + first execute in a fresh process, median of ${FIRST_CALL_PROCESSES}: ${who}`;
  return [
    { suite: CLIENT, name: name(`AsyncNoukai (${times(mine, theirs)} the official client's time)`), value: mine, unit: "ms", decimals: 1 },
    { suite: CLIENT, name: name("@noukai/sdk 0.3.0"), value: theirs, unit: "ms", decimals: 1 },
    { suite: BLOCKING, name: name("Noukai from noukai/blocking (its I/O thread started as the entry is imported)"), value: sync, unit: "ms", goal: `≤ 1.5× AsyncNoukai (${times(sync, mine)})`, met: sync <= 1.5 * mine, decimals: 1 },
    { suite: BLOCKING, name: name(`Noukai from noukai (its I/O thread started by new Noukai(); ${times(syncMain, mine)} AsyncNoukai)`), value: syncMain, unit: "ms", decimals: 1 },
  ];
}

/**
 * Resident memory growth while one stream of 200,000 events is read, beside
 * the official client and raw `node:http` reading the same bytes (what the
 * transport alone costs). Measured twice: after a 20,000-event warm-up (the
 * goal's row), and after a warm-up as long as the stream, when the heap has
 * reached its working size and only what the client keeps could still grow.
 */
async function memoryRows(port: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const warmUp of [STREAM_EVENTS, MEMORY_EVENTS]) {
    const growth = best(["raw", "ours", "official"], ["memory", port, MEMORY_EVENTS, warmUp], true);
    const [floor, mine, theirs] = [growth["raw"] ?? 0, growth["ours"] ?? 0, growth["official"] ?? 0];
    const name = (who: string) =>
      `resident memory growth while streaming ${MEMORY_EVENTS.toLocaleString("en")} events, after a ${warmUp.toLocaleString("en")}-event warm-up: ${who}`;
    rows.push(
      warmUp === STREAM_EVENTS
        ? { suite: CLIENT, name: name("AsyncNoukai"), value: mine, unit: "MB", goal: "< 16 MB", met: mine < 16, decimals: 1 }
        : { suite: CLIENT, name: name("AsyncNoukai"), value: mine, unit: "MB", decimals: 1 },
      { suite: CLIENT, name: name("@noukai/sdk 0.3.0"), value: theirs, unit: "MB", decimals: 1 },
      { suite: CLIENT, name: name("raw node:http counting events (the transport alone)"), value: floor, unit: "MB", decimals: 1 },
    );
  }
  return rows;
}

/**
 * How long after the server flushed an event the caller's loop receives it:
 * 300 events, 10 ms apart, in each of three fresh processes. The row is the
 * process with the median 99th percentile, beside the other two: one run is
 * three seconds, and a single pause of this machine moves its tail.
 */
async function latencyRow(port: number): Promise<BenchRow> {
  type Run = { p50: number; p99: number; max: number };
  const runs: Run[] = [];
  for (let round = 0; round < LATENCY_PROCESSES; round++) {
    runs.push(JSON.parse(measureInProcess(new URL("./measure-latency.ts", import.meta.url), [port])) as Run);
  }
  runs.sort((a, b) => a.p99 - b.p99);
  const median: Run = runs[Math.floor(runs.length / 2)] ?? { p50: NaN, p99: NaN, max: NaN };
  const all = runs.map((run) => run.p99.toFixed(2)).join(", ");
  return {
    suite: CLIENT,
    name: `server flush → caller latency, p99, median of ${LATENCY_PROCESSES} processes (p99s ${all} ms; in the median one p50 ${median.p50.toFixed(2)} ms, max ${median.max.toFixed(2)} ms)`,
    value: median.p99,
    unit: "ms",
    goal: "< 5 ms",
    met: median.p99 < 5,
    decimals: 2,
  };
}

function times(mine: number, theirs: number): string {
  return `${(mine / theirs).toFixed(2)}×`;
}
