import { Worker } from "node:worker_threads";
import type { ServerStats } from "../app/stats.js";
import { FlowValidationError } from "../flows/validate.js";
import { checkOptionNames, SERVER_OPTION_NAMES } from "../option-names.js";
import type { ServerOptions } from "../options.js";
import type { FromWorker, ToWorker } from "./worker-protocol.js";
import { MAX_TIMER_MS } from "../../core/timer-limit.js";

export interface RunningServer {
  /** `http://127.0.0.1:PORT/api/v1` (the host it bound to). */
  baseUrl: string;
  port: number;
  host: string;
  stats(): Promise<ServerStats>;
  /** Stops the server as listen()'s close() does (calls in flight get `graceMs` to finish), then its thread; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the local server on a worker thread and resolves once it listens.
 * Options are plain data (they are copied to the thread): flows as a directory
 * path or as definitions.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  checkOptionNames(options, SERVER_OPTION_NAMES, "startServer()");
  // No inherited execArgv: a parent run as `node -e SCRIPT` would make the worker run SCRIPT again.
  const worker = new Worker(new URL("./server-worker.js", import.meta.url), { workerData: options, execArgv: [] });
  const pending = new Map<number, (stats: ServerStats) => void>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const ready = await new Promise<{ port: number; host: string }>((resolve, reject) => {
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the server thread exited during start (code ${code})`)));
    worker.on("message", (message: FromWorker) => {
      if (message.type === "ready") resolve(message);
      else if (message.type === "failed") reject(startError(message));
      else if (message.type === "stats") pending.get(message.id)?.(message.stats);
    });
  });
  worker.removeAllListeners("error");
  // A crash after start is reported through the next stats()/close(), not as an unhandled error.
  worker.on("error", () => undefined);
  let closing: Promise<void> | undefined;
  const send = (message: ToWorker) => worker.postMessage(message);
  return {
    baseUrl: `http://${ready.host.includes(":") ? `[${ready.host}]` : ready.host}:${ready.port}/api/v1`,
    port: ready.port,
    host: ready.host,
    stats: () =>
      new Promise<ServerStats>((resolve, reject) => {
        if (closing) return reject(new Error("the server is closed"));
        const id = nextId++;
        pending.set(id, (stats) => {
          pending.delete(id);
          resolve(stats);
        });
        send({ type: "stats", id });
      }),
    close: () => {
      closing ??= (async () => {
        send({ type: "close" });
        // The thread ends by itself once closed (after the grace period and the final answers); terminate is the backstop.
        const timer = setTimeout(() => void worker.terminate(), Math.min((options.graceMs ?? 5_000) + 10_000, MAX_TIMER_MS));
        timer.unref();
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/**
 * The error the server's thread failed to start with, rebuilt on this one: a
 * flow problem as a FlowValidationError (its problems, and `instanceof`
 * works), a system error (`EADDRINUSE`) with its code, as `listen` gives them.
 */
function startError(failure: Extract<FromWorker, { type: "failed" }>): Error {
  if (failure.problems !== undefined) return new FlowValidationError(failure.problems);
  const error = new Error(failure.message);
  error.name = failure.name;
  return failure.code === undefined ? error : Object.assign(error, { code: failure.code });
}
