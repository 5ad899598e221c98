/**
 * Why the blocking client has its own bridge instead of `synckit`: the same
 * blocking driver and the same worker commands, hosted once by this SDK's
 * WorkerBridge and once by synckit's `createSyncFn`, measured on three jobs:
 * an execute round trip, a 20,000-event stream and a stream of 256 KiB steps.
 * Both block on `Atomics.wait` and read answers with `receiveMessageOnPort`;
 * the bridge also transfers chunks instead of cloning them, lets a discard go
 * without waiting, and needs no dependency in the client.
 */
import { startFixedServer } from "../client/fixed-server-process.js";
import { measureInProcess } from "../measure.js";
import type { BenchRow } from "../types.js";
import { buildSynckitHost } from "./synckit-bridge.js";

/**
 * Each host runs in a fresh process per round (see ./measure-host.ts), and
 * how fast events parse changes in phases of seconds (see
 * ../client/suite.ts): ten rounds make it unlikely that either host meets
 * only slow ones.
 */
const ROUNDS = 10;
const STREAM_EVENTS = 20_000;
/** Steps of 256 Ki characters each: where copying chunks would show. */
const LARGE_EVENTS = 400;

interface Figures {
  calls: number;
  events: number;
  largeEvents: number;
}

export async function benchBridge(): Promise<BenchRow[]> {
  const synckitHost = await buildSynckitHost();
  const server = await startFixedServer();
  try {
    const none: Figures = { calls: 0, events: 0, largeEvents: 0 };
    const best: Record<string, Figures> = {};
    // Each host in a fresh process per round, alternating; each keeps its best figures.
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ["ours", "synckit"]) {
        const figures = measureApart(name, server.port, synckitHost);
        const previous = best[name] ?? none;
        best[name] = {
          calls: Math.max(previous.calls, figures.calls),
          events: Math.max(previous.events, figures.events),
          largeEvents: Math.max(previous.largeEvents, figures.largeEvents),
        };
      }
    }
    const [ours, theirs] = [best["ours"] ?? none, best["synckit"] ?? none];
    const suite = "blocking bridge";
    return [
      // One message each way per call on both hosts: the figure says the bridge costs nothing extra, not that it wins.
      { suite, name: `Noukai execute round trips/s: own WorkerBridge (${(ours.calls / theirs.calls).toFixed(2)}× synckit)`, value: ours.calls, unit: "calls/s" },
      { suite, name: "Noukai execute round trips/s: synckit 0.11.11 host", value: theirs.calls, unit: "calls/s" },
      { suite, name: `Noukai events/s, ${STREAM_EVENTS.toLocaleString("en")}-event stream: own WorkerBridge`, value: ours.events, unit: "events/s", goal: `≥ synckit (${(ours.events / theirs.events).toFixed(2)}×)`, met: ours.events >= theirs.events },
      { suite, name: `Noukai events/s, ${STREAM_EVENTS.toLocaleString("en")}-event stream: synckit 0.11.11 host`, value: theirs.events, unit: "events/s" },
      { suite, name: `Noukai events/s, ${LARGE_EVENTS}-event stream of 256 KiB steps: own WorkerBridge`, value: ours.largeEvents, unit: "events/s", goal: `≥ synckit (${(ours.largeEvents / theirs.largeEvents).toFixed(2)}×)`, met: ours.largeEvents >= theirs.largeEvents },
      { suite, name: `Noukai events/s, ${LARGE_EVENTS}-event stream of 256 KiB steps: synckit 0.11.11 host`, value: theirs.largeEvents, unit: "events/s" },
    ];
  } finally {
    server.stop();
  }
}

/** Runs `measure-host.ts` for one host in a fresh process and returns its figures. */
function measureApart(host: string, port: number, synckitHost: string): Figures {
  return JSON.parse(measureInProcess(new URL("./measure-host.ts", import.meta.url), [host, port, synckitHost, STREAM_EVENTS, LARGE_EVENTS])) as Figures;
}
