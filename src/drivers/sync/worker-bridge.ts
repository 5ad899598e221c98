import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { APIConnectionError } from "../../core/errors.js";
import { fromWireError } from "./error-wire.js";
import type { BlockingBridge, Command, Reply, ReplyValue } from "./protocol.js";

/** How much longer than a command's own timeout the caller waits before declaring the worker lost. */
const WORKER_MARGIN_MS = 10_000;

/**
 * The caller's end of the I/O worker: `request()` posts a command and
 * blocks the thread with `Atomics.wait` until the worker raises the flag,
 * then reads the answer synchronously. The worker and the port are
 * unreferenced, so an idle blocking client never keeps a process alive.
 */
export class WorkerBridge implements BlockingBridge {
  readonly #flag = new Int32Array(new SharedArrayBuffer(4));
  readonly #port: MessagePort;
  readonly #worker: Worker;
  #failure: Error | undefined;
  #seq = 0;

  constructor(workerUrl: URL) {
    const { port1, port2 } = new MessageChannel();
    // No inherited execArgv: a parent run as `node -e SCRIPT` would make the worker run SCRIPT again.
    this.#worker = new Worker(workerUrl, { workerData: { port: port2, flag: this.#flag.buffer }, transferList: [port2], execArgv: [] });
    this.#worker.on("error", (error) => (this.#failure = error));
    this.#worker.unref();
    port1.unref();
    this.#port = port1;
  }

  /** Sends a command and returns its answer, blocking until it comes. */
  request(command: Command, timeoutMs: number): ReplyValue {
    if (this.#failure !== undefined) throw lost(this.#failure);
    const seq = ++this.#seq;
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage({ ...command, seq });
    const deadline = Date.now() + timeoutMs + WORKER_MARGIN_MS;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw lost(this.#failure);
      Atomics.wait(this.#flag, 0, 0, left);
      const received = receiveMessageOnPort(this.#port);
      if (received === undefined) continue;
      const reply = received.message as Reply;
      // An answer to a request given up on earlier is dropped.
      if (reply.seq !== seq) continue;
      if (reply.ok) return reply.value;
      throw fromWireError(reply.error);
    }
  }

  /** Sends a command nobody waits for (discarding a body). */
  send(command: Command): void {
    this.#port.postMessage({ ...command, seq: ++this.#seq });
  }
}

function lost(cause: Error | undefined): APIConnectionError {
  return new APIConnectionError(
    `The blocking client's I/O worker stopped answering${cause ? `: ${cause.message}` : ""}.`,
    { code: "WORKER_LOST", cause },
  );
}
