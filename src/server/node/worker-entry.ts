import { parentPort, workerData } from "node:worker_threads";
import { createServerApp, type ServerApp } from "../app/create-app.js";
import { loadFlowsFromDir } from "../flows/loader.js";
import { FlowValidationError } from "../flows/validate.js";
import type { ServerOptions } from "../options.js";
import { listen, type ListeningServer } from "./listen.js";
import { splitServerOptions } from "./split-options.js";
import type { FromWorker, ToWorker } from "./worker-protocol.js";

// The server's thread: it owns the app and the sockets, so a caller that blocks
// its own thread (the blocking client uses Atomics.wait) can still be answered.
const port = parentPort;
if (!port) throw new Error("server-worker.js must run as a worker thread (use startServer)");
const post = (message: FromWorker) => port.postMessage(message);

async function start(options: ServerOptions): Promise<{ server: ListeningServer; app: ServerApp }> {
  const { app: appOptions, listen: listenOptions, flows } = splitServerOptions(options);
  const definitions = typeof flows === "string" ? await loadFlowsFromDir(flows) : flows;
  const app = createServerApp({ ...appOptions, ...(definitions ? { flows: definitions } : {}) });
  try {
    const server = await listen(app, listenOptions);
    return { server, app };
  } catch (error) {
    await app.close();
    throw error;
  }
}

start(workerData as ServerOptions).then(
  ({ server, app }) => {
    port.on("message", (message: ToWorker) => {
      if (message.type === "stats") post({ type: "stats", id: message.id, stats: app.stats() });
      else if (message.type === "close") {
        void server.close().then(() => {
          post({ type: "closed" });
          port.close();
        });
      }
    });
    post({ type: "ready", port: server.port, host: server.host });
  },
  (error: unknown) => {
    post(failure(error));
    port.close();
  },
);

/** What the caller's thread needs to throw the same error: its class by name, a system error's code, a flow error's problems. */
function failure(error: unknown): FromWorker {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  const code = (error as { code?: unknown } | null)?.code;
  return {
    type: "failed",
    name,
    message,
    ...(typeof code === "string" ? { code } : {}),
    ...(error instanceof FlowValidationError ? { problems: error.problems } : {}),
  };
}
