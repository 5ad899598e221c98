/**
 * A worker thread of the load generator that makes blocking `Noukai` calls,
 * one after another: the blocking client freezes its thread while it waits,
 * so each lane needs a thread of its own.
 */
import { parentPort, receiveMessageOnPort, workerData } from "node:worker_threads";
import { Lane } from "./lane.js";
import type { BlockingLaneData } from "./messages.js";
import { newTally } from "./tally.js";

const data = workerData as BlockingLaneData;
const next = new Int32Array(data.counters);
const tally = newTally();
process.on("unhandledRejection", () => (tally.unhandledRejections += 1));
const door = { ...data.door };
const lane = new Lane("Noukai", data.size, data.apiKey, tally, new Uint8Array(data.statuses));

for (let index = Atomics.add(next, 0, 1); index < data.size.calls; index = Atomics.add(next, 0, 1)) {
  // The thread is blocked during a call, so the latest door is read between calls.
  for (let moved = receiveMessageOnPort(data.doors); moved !== undefined; moved = receiveMessageOnPort(data.doors)) {
    Object.assign(door, moved.message);
  }
  await lane.call(index, door);
  Atomics.add(next, 1, 1);
}
await lane.close();
data.doors.close();
parentPort?.postMessage(tally);
