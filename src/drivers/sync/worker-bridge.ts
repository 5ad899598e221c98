import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { APIConnectionError } from "../../core/errors.js";
import { fromWireError } from "./error-wire.js";
import type { BlockingBridge, Command, Numbered, Reply, ReplyValue } from "./protocol.js";
import { ANSWERED, SIGNAL_SLOTS, STARTED } from "./signals.js";

/** How much longer than a command's own timeout the caller waits before declaring the worker lost. */
const WORKER_MARGIN_MS = 10_000;

/** How long the worker may take to start before a caller waiting on it declares it lost. */
const WORKER_START_MS = 10_000;

/**
 * The caller's end of the I/O worker: `request()` posts a command and
 * blocks the thread with `Atomics.wait` until the worker raises the flag,
 * then reads the answer synchronously. The worker and the port are
 * unreferenced, so an idle blocking client never keeps a process alive.
 *
 * Nothing waits for the worker to start: commands posted meanwhile queue on
 * the port, and the thread starting the worker goes on with its own work
 * (a client's first call prepares its request while the worker boots).
 */
export class WorkerBridge implements BlockingBridge {
  readonly #signals = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  readonly #port: MessagePort;
  readonly #worker: Worker;
  readonly #startDeadline: number;
  #started = false;
  #failure: Error | undefined;
  #seq = 0;

  constructor(workerUrl: URL, startMs = WORKER_START_MS) {
    this.#startDeadline = Date.now() + startMs;
    const { port1, port2 } = new MessageChannel();
    // No inherited execArgv: a parent run as `node -e SCRIPT` would make the worker run SCRIPT again.
    this.#worker = new Worker(workerUrl, { workerData: { port: port2, flag: this.#signals.buffer }, transferList: [port2], execArgv: [] });
    this.#worker.on("error", (error) => (this.#failure = error));
    this.#worker.unref();
    port1.unref();
    this.#port = port1;
  }

  /** Sends a command and returns its answer, blocking until it comes. */
  request(command: Command, timeoutMs: number): ReplyValue {
    if (this.#failure !== undefined) throw lost(this.#failure);
    const seq = this.#post(command, true);
    const deadline = Date.now() + timeoutMs + WORKER_MARGIN_MS;
    for (;;) {
      const left = this.#waitLeft(deadline);
      if (left <= 0) throw lost(this.#failure);
      Atomics.wait(this.#signals, ANSWERED, 0, left);
      // Lowered before the port is read: an answer posted after the last read raises it again, and the next wait returns at once.
      Atomics.store(this.#signals, ANSWERED, 0);
      for (let received = receiveMessageOnPort(this.#port); received !== undefined; received = receiveMessageOnPort(this.#port)) {
        const reply = received.message as Reply;
        // An answer to a request given up on earlier is dropped.
        if (reply.seq !== seq) continue;
        if (reply.ok) return reply.value;
        throw fromWireError(reply.error);
      }
    }
  }

  /** Sends a command nobody waits for: the worker carries it out in order and answers nothing. */
  send(command: Command): void {
    this.#post(command, false);
  }

  #post(command: Command, answered: boolean): number {
    const seq = ++this.#seq;
    this.#port.postMessage({ ...command, seq, answered } satisfies Numbered);
    return seq;
  }

  /** How long the caller may still wait: up to the command's deadline, and while the worker has not started, up to its start's. */
  #waitLeft(deadline: number): number {
    const now = Date.now();
    if (!this.#started && Atomics.load(this.#signals, STARTED) === 1) this.#started = true;
    return this.#started ? deadline - now : Math.min(deadline, this.#startDeadline) - now;
  }
}

function lost(cause: Error | undefined): APIConnectionError {
  return new APIConnectionError(
    `The blocking client's I/O worker stopped answering${cause ? `: ${cause.message}` : ""}.`,
    { code: "WORKER_LOST", cause },
  );
}
