import type { Socket } from "node:net";
import { Worker } from "node:worker_threads";

/** A request as the raw server read it. */
export interface RawRequest {
  method: string;
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes whatever bytes it likes to the socket, including answers no HTTP
 * library would produce (bare CR in a header, a status line that is not
 * HTTP, a body shorter than its Content-Length). Exported by name from a
 * responders module.
 */
export type RawResponder = (request: RawRequest, socket: Socket) => void;

const TS_ENTRY = new URL("./ts-entry.mjs", import.meta.url);
const HOST = new URL("./raw-server-host.ts", import.meta.url);

/**
 * A `node:net` server of the tests' own on a worker thread (so that the
 * blocking client, which freezes the test's thread, can reach it), answering
 * every request with the responder it was last told to use, and recording
 * what it was sent.
 */
export class RawServer {
  private constructor(
    private readonly worker: Worker,
    readonly baseUrl: string,
  ) {}

  static async start(responders: URL): Promise<RawServer> {
    const worker = new Worker(TS_ENTRY, { workerData: { module: HOST.href, responders: responders.href } });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once("error", reject);
      worker.once("message", (message: { port: number }) => resolve(message.port));
    });
    return new RawServer(worker, `http://127.0.0.1:${port}/api/v1`);
  }

  /** Answers from now on with the responder exported as `name`, and forgets earlier requests. */
  respond(name: string): Promise<unknown> {
    return askWorker(this.worker, { type: "respond", name });
  }

  async requests(): Promise<RawRequest[]> {
    return ((await askWorker(this.worker, { type: "requests" })) as { requests: RawRequest[] }).requests;
  }

  async close(): Promise<void> {
    await askWorker(this.worker, { type: "close" });
    await this.worker.terminate();
  }
}

/** Posts a message to a worker and resolves with its next message (or rejects with its error). */
function askWorker(worker: Worker, message: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: unknown): void => {
      worker.off("error", onError);
      resolve(answer);
    };
    const onError = (error: Error): void => {
      worker.off("message", onMessage);
      reject(error);
    };
    worker.once("message", onMessage).once("error", onError).postMessage(message);
  });
}
