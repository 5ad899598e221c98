import type http from "node:http";
import { Worker } from "node:worker_threads";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** How a RecordingServer answers: exported by name from a responders module. */
export type Responder = (request: RecordedRequest, res: http.ServerResponse, index: number) => void;

/**
 * A small HTTP server of the tests' own that records every request and
 * answers with a scripted responder, including answers no real server should
 * give. It runs on a worker thread, so that the blocking client, which
 * freezes the test's thread while it waits, can still be answered.
 */
export class RecordingServer {
  private constructor(
    private readonly worker: Worker,
    readonly baseUrl: string,
  ) {}

  /** Starts a server whose responders are the exports of `responders` (a module URL). */
  static async start(responders: URL): Promise<RecordingServer> {
    const worker = new Worker(new URL("./recording-worker.mjs", import.meta.url), { workerData: { responders: responders.href } });
    const port = await new Promise<number>((resolve, reject) => {
      worker.once("error", reject);
      worker.once("message", (message: { port: number }) => resolve(message.port));
    });
    return new RecordingServer(worker, `http://127.0.0.1:${port}/api/v1`);
  }

  /** Answers from now on with the responder exported as `name`, and forgets earlier requests. */
  async respond(name: string): Promise<void> {
    await this.ask({ type: "respond", name });
  }

  async requests(): Promise<RecordedRequest[]> {
    return ((await this.ask({ type: "requests" })) as { requests: RecordedRequest[] }).requests;
  }

  async close(): Promise<void> {
    await this.ask({ type: "close" });
    await this.worker.terminate();
  }

  private ask(message: object): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: unknown): void => {
        this.worker.off("error", onError);
        resolve(answer);
      };
      const onError = (error: Error): void => {
        this.worker.off("message", onMessage);
        reject(error);
      };
      this.worker.once("message", onMessage);
      this.worker.once("error", onError);
      this.worker.postMessage(message);
    });
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_recorded", ...headers });
  res.end(JSON.stringify(body));
}
