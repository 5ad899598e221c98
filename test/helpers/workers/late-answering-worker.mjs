// A worker that says at once that it has started, then takes 600 ms over each answer.
import { setTimeout } from "node:timers";
import { workerData } from "node:worker_threads";

const signals = new Int32Array(workerData.flag);
Atomics.store(signals, 1, 1);
Atomics.notify(signals, 0);
workerData.port.on("message", (command) => {
  setTimeout(() => {
    workerData.port.postMessage({ seq: command.seq, ok: true, value: "late" });
    Atomics.store(signals, 0, 1);
    Atomics.notify(signals, 0);
  }, 600);
});
