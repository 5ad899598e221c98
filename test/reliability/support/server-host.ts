/**
 * The local server alone in a child process: its memory is its own to
 * measure, its warnings are its own to collect, and it can be told to close
 * at a set moment while the caller's thread is blocked in a call.
 */
import { createServerApp, listen, splitServerOptions } from "noukai/server";
import type { FromHost, ToHost } from "./hosted-server.js";
import { sampleMemory } from "./memory.js";
import { MemoryWatch } from "./memory-watch.js";

// Peaks are sampled from a thread of their own: the server's thread may be busy for a while.
const watch = await MemoryWatch.start();

const warnings: string[] = [];
process.on("warning", (warning) => warnings.push(`${warning.name}: ${warning.message}`));

const send = (message: FromHost): void => void process.send?.(message);

const start = await new Promise<Extract<ToHost, { type: "start" }>>((resolve) => {
  process.once("message", (message: ToHost) => {
    if (message.type === "start") resolve(message);
  });
});
const { app: appOptions, listen: listenOptions, flows } = splitServerOptions(start.options);
const app = createServerApp({ ...appOptions, ...(Array.isArray(flows) ? { flows } : {}) });
// A wrapper is any other fetch-style app to listen(), which then serves it through its general binding.
const served = start.wrapped ? { fetch: (request: Request) => app.fetch(request), close: () => app.close() } : app;
const server = await listen(served, { port: 0, ...listenOptions });

let closing: Promise<void> | undefined;
const close = (): Promise<void> => (closing ??= server.close());

process.on("message", (message: ToHost) => {
  if (message.type === "stats") {
    server.server.getConnections((_error, connections) => {
      void watch.peak().then((peak) => {
        send({ type: "stats", stats: app.stats(), memory: sampleMemory(0), peakRssMB: Math.round(peak / 1024 / 102.4) / 10, connections, warnings: [...warnings] });
      });
    });
  } else if (message.type === "close") {
    setTimeout(() => void close().then(() => send({ type: "closed" })), message.afterMs);
  } else if (message.type === "exit") {
    void close()
      .then(() => watch.stop())
      .then(() => process.disconnect());
  }
});
send({ type: "ready", baseUrl: server.baseUrl, port: server.port });
