/**
 * The I/O thread of the blocking client. It carries out each command of the
 * caller's thread (./worker-commands.ts), posts the answer, then raises the
 * shared flag the caller is waiting on with `Atomics.wait`.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { toWireError } from "./error-wire.js";
import { type Command, expectsReply, type Numbered, type Reply } from "./protocol.js";
import { handle } from "./worker-commands.js";

const { port, flag } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const ready = new Int32Array(flag);

port.on("message", (command: Numbered) => {
  void handle(command).then(
    (value) => answer(command, { seq: command.seq, ok: true, value }),
    (error: unknown) => answer(command, { seq: command.seq, ok: false, error: toWireError(error) }),
  );
});

function answer(command: Command, reply: Reply): void {
  if (!expectsReply(command)) return;
  const transfer = reply.ok && reply.value instanceof Uint8Array ? [reply.value.buffer as ArrayBuffer] : [];
  try {
    port.postMessage(reply, transfer);
  } catch (error) {
    // The caller is waiting for this answer: it gets the failure rather than waiting for the worker to be declared lost.
    port.postMessage({ seq: reply.seq, ok: false, error: toWireError(error) } satisfies Reply);
  }
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
}
