/**
 * The load generator of the fault suite, run as a child process so that its
 * memory is the clients' alone and its exit proves that `close()` left
 * nothing behind: `AsyncNoukai` lanes on this thread, blocking `Noukai` lanes
 * on worker threads, all taking call numbers from one shared counter.
 */
import { MessageChannel, Worker } from "node:worker_threads";
import { resourcesBeyond, sampleMemory } from "../support/memory.js";
import { Lane, type Door } from "./lane.js";
import type { BlockingLaneData, FromLoad, LoadReport, MemorySample, ToLoad } from "./messages.js";
import type { FaultRunSize } from "./plan.js";
import { mergeTallies, newTally, type Tally } from "./tally.js";

const TS_ENTRY = new URL("../support/ts-entry.mjs", import.meta.url);
const BLOCKING_LANE = new URL("./blocking-lane.ts", import.meta.url);

const send = (message: FromLoad): void => void process.send?.(message);

const start = await new Promise<Extract<ToLoad, { type: "start" }>>((resolve) => {
  process.once("message", (message: ToLoad) => {
    if (message.type === "start") resolve(message);
  });
});
const report = await generateLoad(start.size, start.apiKey, start.door);
process.send?.({ type: "report", report } satisfies FromLoad, () => process.disconnect());

async function generateLoad(size: FaultRunSize, apiKey: string, firstDoor: Door): Promise<LoadReport> {
  const baseline = process.getActiveResourcesInfo();
  const started = Date.now();
  const tally = newTally();
  process.on("unhandledRejection", () => (tally.unhandledRejections += 1));
  const counters = new SharedArrayBuffer(8);
  const next = new Int32Array(counters);
  const statuses = new SharedArrayBuffer(size.calls);
  const door: Door = { ...firstDoor };

  const blocking = Array.from({ length: size.blockingLanes }, () => startBlockingLane({ size, apiKey, door, counters, statuses }));
  const onDoor = (message: ToLoad): void => {
    if (message.type !== "door") return;
    Object.assign(door, message.door);
    for (const lane of blocking) lane.doors.postMessage(message.door);
  };
  process.on("message", onDoor);

  const memory: MemorySample[] = [sampleMemory(0)];
  let nextSample = size.sampleEvery;
  const progress = setInterval(() => {
    const settled = Atomics.load(next, 1);
    send({ type: "progress", settled });
    if (settled >= nextSample * size.calls) {
      memory.push(sampleMemory(settled));
      nextSample += size.sampleEvery;
    }
  }, 100);

  const asyncLanes = Array.from({ length: size.asyncLanes }, async () => {
    const lane = new Lane("AsyncNoukai", size, apiKey, tally, new Uint8Array(statuses));
    for (let index = Atomics.add(next, 0, 1); index < size.calls; index = Atomics.add(next, 0, 1)) {
      await lane.call(index, door);
      Atomics.add(next, 1, 1);
    }
    await lane.close();
  });
  await Promise.all(asyncLanes);
  const blockingTallies = await Promise.all(blocking.map((lane) => lane.done));
  clearInterval(progress);
  process.off("message", onDoor);
  memory.push(sampleMemory(Atomics.load(next, 1)));
  // Closed sockets and finished threads leave the list within a few turns of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 200));
  memory.push({ ...sampleMemory(Atomics.load(next, 1)), afterClose: true });
  return {
    tally: mergeTallies([tally, ...blockingTallies]),
    statuses: new Uint8Array(statuses).slice(),
    memory,
    resourcesLeft: resourcesBeyond(baseline, process.getActiveResourcesInfo()),
    durationMs: Date.now() - started,
  };
}

function startBlockingLane(data: Omit<BlockingLaneData, "module" | "doors">): { doors: MessageChannel["port1"]; done: Promise<Tally> } {
  const { port1, port2 } = new MessageChannel();
  const workerData: BlockingLaneData = { ...data, module: BLOCKING_LANE.href, doors: port2 };
  const worker = new Worker(TS_ENTRY, { workerData, transferList: [port2] });
  const done = new Promise<Tally>((resolve, reject) => {
    let tally: Tally | undefined;
    worker.on("message", (message: Tally) => (tally = message));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      port1.close();
      if (tally === undefined) reject(new Error(`a blocking lane's thread exited (code ${code}) without its tally`));
      else resolve(tally);
    });
  });
  return { doors: port1, done };
}
