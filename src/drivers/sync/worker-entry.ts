/**
 * The I/O thread of the blocking client. It carries out each command of the
 * caller's thread (./worker-commands.ts), posts the answer, then raises the
 * shared flag the caller is waiting on with `Atomics.wait`.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { toWireError } from "./error-wire.js";
import { type Numbered, type Reply } from "./protocol.js";
import { ANSWERED, STARTED } from "./signals.js";
import { handle } from "./worker-commands.js";

const { port, flag } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const signals = new Int32Array(flag);

port.on("message", (command: Numbered) => {
  void handle(command).then(
    (value) => answer(command, { seq: command.seq, ok: true, value }),
    (error: unknown) => answer(command, { seq: command.seq, ok: false, error: toWireError(error) }),
  );
});

// The caller may already be waiting on its first call: it now knows this thread is up, and waits for the call's own answer.
Atomics.store(signals, STARTED, 1);
Atomics.notify(signals, ANSWERED);

function answer(command: Numbered, reply: Reply): void {
  if (!command.answered) return;
  const transfer = reply.ok && reply.value instanceof Uint8Array ? [reply.value.buffer as ArrayBuffer] : [];
  try {
    port.postMessage(reply, transfer);
  } catch (error) {
    // The caller is waiting for this answer: it gets the failure rather than waiting for the worker to be declared lost.
    port.postMessage({ seq: reply.seq, ok: false, error: toWireError(error) } satisfies Reply);
  }
  Atomics.store(signals, ANSWERED, 1);
  Atomics.notify(signals, ANSWERED);
}
