import { receiveMessageOnPort } from "node:worker_threads";
import { APIConnectionError } from "../../core/errors.js";
import { fromWireError } from "./error-wire.js";
import { type IoThread, startIoThread } from "./io-thread.js";
import type { BlockingBridge, Command, Numbered, Reply, ReplyValue } from "./protocol.js";
import { ANSWERED, STARTED } from "./signals.js";
import { takeWarmIoThread } from "./warm-io-thread.js";

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
 * A thread already started for the same worker file, ahead of any client
 * (./warm-io-thread.ts), is taken instead of starting another.
 */
export class WorkerBridge implements BlockingBridge {
  readonly #thread: IoThread;
  readonly #signals: Int32Array;
  readonly #port: IoThread["port"];
  readonly #startDeadline: number;
  #started = false;
  #seq = 0;

  constructor(workerUrl: URL, startMs = WORKER_START_MS) {
    this.#thread = takeWarmIoThread(workerUrl) ?? startIoThread(workerUrl);
    this.#signals = this.#thread.signals;
    this.#port = this.#thread.port;
    // The bound is on the thread's own start, which for a thread taken over began before this client.
    this.#startDeadline = this.#thread.startedAt + startMs;
  }

  /** Sends a command and returns its answer, blocking until it comes. */
  request(command: Command, timeoutMs: number): ReplyValue {
    if (this.#thread.failure !== undefined) throw lost(this.#thread.failure);
    const seq = this.#post(command, true);
    const deadline = Date.now() + timeoutMs + WORKER_MARGIN_MS;
    for (;;) {
      const left = this.#waitLeft(deadline);
      if (left <= 0) throw lost(this.#thread.failure);
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
