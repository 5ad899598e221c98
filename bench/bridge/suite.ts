/**
 * Why the blocking client has its own bridge instead of `synckit`: the same
 * blocking driver and the same worker commands, hosted once by this SDK's
 * WorkerBridge and once by synckit's `createSyncFn`, measured on the two jobs
 * that matter: an execute round trip and a 20,000-event stream. Both block on
 * `Atomics.wait` and read answers with `receiveMessageOnPort`; the bridge
 * also transfers chunks instead of cloning them, lets a discard go without
 * waiting, and needs no dependency in the client.
 */
import { flowRef } from "../../src/core/flow-ref.js";
import { execute } from "../../src/core/operations/execute.js";
import { stepRun } from "../../src/core/operations/step-run.js";
import { resolveClientOptions } from "../../src/clients/shared/resolve-options.js";
import type { BlockingBridge } from "../../src/drivers/sync/protocol.js";
import { SyncDriver } from "../../src/drivers/sync/sync-driver.js";
import { WorkerBridge } from "../../src/drivers/sync/worker-bridge.js";
import { startFixedServer } from "../client/fixed-server-process.js";
import { blockingCallsPerSecond } from "../measure.js";
import type { BenchRow } from "../types.js";
import { synckitBridge } from "./synckit-bridge.js";

const DURATION_MS = 1_500;
const STREAM_EVENTS = 20_000;
/** Steps of 256 Ki characters each (the fixed server's `large-N` flows): where copying chunks would show. */
const LARGE_EVENTS = 400;

export async function benchBridge(): Promise<BenchRow[]> {
  const server = await startFixedServer();
  try {
    const baseUrl = `http://127.0.0.1:${server.port}/api/v1`;
    const hosts: Record<string, BlockingBridge> = {
      ours: new WorkerBridge(new URL("../../dist/sync-worker.js", import.meta.url)),
      synckit: await synckitBridge(),
    };
    const none: Figures = { calls: 0, events: 0, largeEvents: 0 };
    const best: Record<string, Figures> = {};
    for (let round = 0; round < 3; round++) {
      for (const [name, bridge] of Object.entries(hosts)) {
        const figures = measure(bridge, baseUrl);
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

interface Figures {
  calls: number;
  events: number;
  largeEvents: number;
}

function measure(bridge: BlockingBridge, baseUrl: string): Figures {
  const { config } = resolveClientOptions({ apiKey: "nk_bench_key", baseUrl }, "Noukai");
  const transport = bridge.request({ type: "register", baseUrl }, 10_000) as number;
  const driver = new SyncDriver(bridge, transport, () => undefined);
  const run = { config, flow: flowRef("bench", "fixed", "execute") };
  const calls = blockingCallsPerSecond(() => driver.value(execute(run, { message: "hi" }), undefined), DURATION_MS);
  const eventsPerSecond = (slug: string): number => {
    const stream = { config, flow: flowRef("bench", "fixed", slug) };
    const started = performance.now();
    let events = 0;
    for (const _event of driver.stream(stepRun(stream, { message: "go", runRemaining: true }, "events"), undefined, (v) => v)) events++;
    return (events / (performance.now() - started)) * 1000;
  };
  const events = eventsPerSecond(`events-${STREAM_EVENTS}`);
  const largeEvents = eventsPerSecond(`large-${LARGE_EVENTS}`);
  bridge.request({ type: "unregister", transport }, 10_000);
  return { calls, events, largeEvents };
}
