/**
 * Measures one contender in a process of its own, so that no contender
 * inherits another's JIT state, garbage or timers (the official client
 * leaves a 300 s timer armed per call, which slows every later timer).
 *
 *   node --import tsx bench/client/measure-one.ts <contender> execute <port> <concurrency> <durationMs>
 *   node --import tsx bench/client/measure-one.ts <contender> stream <port> <events> <durationMs>
 *   node --expose-gc --import tsx bench/client/measure-one.ts <contender> memory <port> <events> <warm-up events>
 *   node --import tsx bench/client/measure-one.ts <contender> replay 0 <events> <durationMs>   (the stream from memory, through fetch)
 *
 * Prints the figure (calls/s, events/s or MB) on stdout.
 */
import { bareIterator } from "./bare-iterator.js";
import { bareParse, blocking, type Contender, official, ours, rawNodeHttp, rawUndiciPool } from "./contenders.js";
import { replayFetch } from "./replay-fetch.js";
import { benchTracer } from "./traced.js";
import { bestWithin, blockingCallsPerSecond, callsPerSecond, collectGarbage } from "../measure.js";
import { replayScope } from "../../dist/index.js";

const [name, job, portText, sizeText, extraText] = process.argv.slice(2);
/** Long enough for the JIT to settle on every contender: the figures are of warm code, as in a long-running service. */
const WARMUP_MS = 2_000;
const port = Number(portText);
const makers: Record<string, (port: number) => Contender> = {
  raw: rawNodeHttp,
  undici: rawUndiciPool,
  bare: bareParse,
  bareIterator,
  ours,
  official,
  blocking,
  viaFetch: (p) => ours(p, { fetch: globalThis.fetch }),
  oursInScope: ours,
  traced: (p) => ours(p, { tracer: benchTracer() }),
  // OpenTelemetry set up in the process (its context manager tracks every async step), the client's telemetry off.
  otelOnly: (p) => (benchTracer(), ours(p)),
};
// Replayed streams come from memory: each client's fetch is the replay (the official client uses the global one).
if (job === "replay") {
  const replay = replayFetch(Number(sizeText));
  globalThis.fetch = replay;
  makers["ours"] = (p) => ours(p, { fetch: replay });
  makers["traced"] = (p) => ours(p, { fetch: replay, tracer: benchTracer() });
  makers["otelOnly"] = (p) => (benchTracer(), ours(p, { fetch: replay }));
}
const make = makers[name ?? ""];
if (make === undefined) throw new Error(`unknown contender ${name}`);
const contender = make(port);

let figure: number;
if (job === "execute") {
  const blockingCall = contender.executeBlocking;
  figure = blockingCall
    ? blockingCallsPerSecond(blockingCall, Number(extraText), WARMUP_MS)
    : name === "oursInScope"
      ? // Every call inside one capture scope: tagged with its session by the scope's layer on the chain.
        await replayScope(() => callsPerSecond(() => contender.execute(), Number(sizeText), Number(extraText), WARMUP_MS), { capture: true })
      : await callsPerSecond(() => contender.execute(), Number(sizeText), Number(extraText), WARMUP_MS);
} else if (job === "memory") {
  figure = await residentGrowthMb(contender, Number(sizeText), Number(extraText));
} else {
  const count = Number(sizeText);
  // Warm up on a whole stream: JIT state should not decide the figure.
  await contender.stream(count);
  let events = 0;
  const ms = await bestWithin(Number(extraText), async () => {
    events = await contender.stream(count);
  });
  figure = (events / ms) * 1000;
}
await contender.close();
process.stdout.write(`${figure}\n`);
// The official client leaves timers armed; the figure is out, so the process ends here.
process.exit(0);

/**
 * Peak resident memory while one long stream is read, above what the process
 * held after a warm-up stream and a full collection. The warm-up lets the
 * heap and the JIT reach their working size, so what remains is what reading
 * the stream itself costs; a client that kept something per event would grow
 * with the stream's length.
 */
async function residentGrowthMb(contender: Contender, events: number, warmUpEvents: number): Promise<number> {
  await contender.stream(warmUpEvents);
  collectGarbage();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  await contender.stream(events);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return (peak - before) / 1024 / 1024;
}
