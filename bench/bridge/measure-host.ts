/**
 * Measures one host of the blocking client's worker commands in a process of
 * its own, so that neither host runs on code the other warmed up or on a
 * thread created after the other's (within one process, whichever host came
 * second won by up to 1.7×, whichever it was).
 *
 *   node --import tsx bench/bridge/measure-host.ts <ours|synckit> <port> <synckit host file> <events> <large events>
 *
 * `<events>` short steps in one stream, then `<large events>` steps of
 * 256 Ki characters each (the fixed server's `large-N` flows).
 *
 * Prints `{ calls, events, largeEvents }` as JSON on stdout.
 */
import { flowRef } from "../../src/core/flow-ref.js";
import { execute } from "../../src/core/operations/execute.js";
import { stepRun } from "../../src/core/operations/step-run.js";
import { resolveClientOptions } from "../../src/clients/shared/resolve-options.js";
import type { BlockingBridge } from "../../src/drivers/sync/protocol.js";
import { SyncDriver } from "../../src/drivers/sync/sync-driver.js";
import { WorkerBridge } from "../../src/drivers/sync/worker-bridge.js";
import { bestWithinBlocking, blockingCallsPerSecond } from "../measure.js";
import { synckitBridge } from "./synckit-bridge.js";

const DURATION_MS = 1_000;
const WARMUP_MS = 500;
/** How long the short stream is read after its warm-up stream. */
const STREAM_MS = 1_500;
/** How long the large stream is read: two streams of about 0.5 s each. */
const LARGE_STREAM_MS = 1_000;

const [host, portText, synckitHostFile = "", eventsText, largeEventsText] = process.argv.slice(2);
const baseUrl = `http://127.0.0.1:${Number(portText)}/api/v1`;
const bridge: BlockingBridge =
  host === "ours" ? new WorkerBridge(new URL("../../dist/sync-worker.cjs", import.meta.url)) : synckitBridge(synckitHostFile);

const { config } = resolveClientOptions({ apiKey: "nk_bench_key", baseUrl }, "Noukai");
const transport = 1;
bridge.request({ type: "register", transport, baseUrl, fetchModule: undefined, maxConnections: 100 }, 10_000);
const driver = new SyncDriver(bridge, transport, () => undefined);
const run = { config, flow: flowRef("bench", "fixed", "execute") };

const calls = blockingCallsPerSecond(() => driver.value(execute(run, { message: "hi" }), undefined), DURATION_MS, WARMUP_MS);

/**
 * Events per second of the best stream read in `ms`, after one stream of
 * warm-up. A time, as in the client suite: how fast events parse here
 * changes in phases, and the longer a host is watched, the likelier it meets
 * a fast one.
 */
function eventsPerSecond(slug: string, ms: number): number {
  const stream = { config, flow: flowRef("bench", "fixed", slug) };
  let events = 0;
  const read = (): void => {
    events = 0;
    for (const _event of driver.stream(stepRun(stream, { message: "go", runRemaining: true }, "events"), undefined, (v) => v)) events++;
  };
  read();
  const best = bestWithinBlocking(ms, read);
  return (events / best) * 1000;
}

const events = eventsPerSecond(`events-${Number(eventsText)}`, STREAM_MS);
const largeEvents = eventsPerSecond(`large-${Number(largeEventsText)}`, LARGE_STREAM_MS);
bridge.request({ type: "unregister", transport }, 10_000);
process.stdout.write(`${JSON.stringify({ calls, events, largeEvents })}\n`);
process.exit(0);
