import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { SIGNAL_SLOTS } from "./signals.js";

/**
 * A started I/O worker and the caller's ends of it: the port commands go
 * out on and answers come back on, and the flag the caller waits on. Kept
 * apart from the bridge that uses it, so that a thread can be started before
 * any client exists (`noukai/blocking` starts one as it is imported) and
 * handed to the first client's bridge.
 */
export interface IoThread {
  /** The worker script it runs: a thread is only handed to a bridge asking for the same one. */
  readonly workerUrl: string;
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signals: Int32Array;
  /** When it was started (`Date.now()`): the bound on its start counts from here. */
  readonly startedAt: number;
  /** Why it stopped, once its failure has reached this thread. */
  failure: Error | undefined;
}

/**
 * Starts the worker and returns at once: nothing waits for it to boot.
 * Unreferenced, it never keeps an idle process alive; its failure is kept
 * for the next command to report rather than thrown as an unhandled event.
 */
export function startIoThread(workerUrl: URL): IoThread {
  const signals = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  const { port1, port2 } = new MessageChannel();
  // No inherited execArgv: a parent run as `node -e SCRIPT` would make the worker run SCRIPT again.
  const worker = new Worker(workerUrl, { workerData: { port: port2, flag: signals.buffer }, transferList: [port2], execArgv: [] });
  const thread: IoThread = { workerUrl: workerUrl.href, worker, port: port1, signals, startedAt: Date.now(), failure: undefined };
  worker.on("error", (error) => (thread.failure = error));
  worker.unref();
  port1.unref();
  return thread;
}
