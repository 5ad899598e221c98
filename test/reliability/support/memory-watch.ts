import { Worker } from "node:worker_threads";

/**
 * The watcher's own thread: it samples the process's resident memory every
 * millisecond, whatever the main thread is doing (the blocking client holds
 * it for a whole call), and answers warm-up calls with a small 404.
 */
const WATCHER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
let peak = 0;
const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
setInterval(sample, 1);
const server = http.createServer((_request, response) => {
  response.writeHead(404, { "content-type": "application/json" }).end('{"detail":"no such flow"}');
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
parentPort.on("message", (command) => {
  if (command === "restart") peak = 0;
  sample();
  parentPort.postMessage(peak);
});
`;

/**
 * The highest resident memory of this process over a stretch of time. Unlike
 * the operating system's high-water mark, it forgets what came before
 * `restart()`: loading a client's code first cannot hide what a call costs.
 */
export class MemoryWatch {
  private constructor(
    private readonly worker: Worker,
    /** A server on the watcher's thread that answers every call with a 404, for warm-up calls. */
    readonly warmUpUrl: string,
  ) {}

  static async start(): Promise<MemoryWatch> {
    const worker = new Worker(WATCHER_SOURCE, { eval: true });
    const port = await nextMessage(worker);
    return new MemoryWatch(worker, `http://127.0.0.1:${port}/api/v1`);
  }

  /** Starts a new stretch; resolves with the resident memory now, in bytes. */
  restart(): Promise<number> {
    this.worker.postMessage("restart");
    return nextMessage(this.worker);
  }

  /** The highest resident memory since `restart()`, in bytes. */
  peak(): Promise<number> {
    this.worker.postMessage("peak");
    return nextMessage(this.worker);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

function nextMessage(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (value: number) => {
      worker.off("error", reject);
      resolve(value);
    });
  });
}
