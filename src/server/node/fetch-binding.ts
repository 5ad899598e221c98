import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerApp } from "../app/create-app.js";
import { ConnectionResetError } from "../app/fetch-adapter.js";
import { newRequestId } from "../app/request-id.js";
import { errorBody } from "../app/respond.js";
import { reportUnexpected, internalErrorMessage } from "../unexpected.js";
import { untilDrainedOrClosed } from "./drain.js";
import type { Backlog } from "./backlog.js";
import type { Exchanges } from "./exchanges.js";

/**
 * The general binding, for any `fetch(Request) → Response` app (the server's
 * own app uses the faster path in binding.ts): builds a Request from the Node
 * request and streams the Response back, aborting the request when the client
 * goes away. Nothing the app or the client does can leave a promise rejected
 * unhandled or a wait that never ends: a body that fails mid-way cuts the
 * connection, and a client that leaves cancels the body it was reading.
 */
export function fetchRequestHandler(app: Pick<ServerApp, "fetch">, exchanges: Exchanges, backlog: Backlog): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(app, req, res, exchanges, backlog)
      .catch((error: unknown) => {
        reportUnexpected("serving a request", error);
        res.destroy();
      })
      .finally(() => exchanges.end(res));
  };
}

async function serve(app: Pick<ServerApp, "fetch">, req: IncomingMessage, res: ServerResponse, exchanges: Exchanges, backlog: Backlog): Promise<void> {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const request = toRequest(req, controller.signal);
  if (!request) return answer(res, 400, "BAD_REQUEST", "the request target or Host header is not a valid URL");
  let response: Response;
  try {
    response = await app.fetch(request);
  } catch (error) {
    // A reset asked for by a fault, or the client went away: nothing to answer.
    if (error instanceof ConnectionResetError || res.destroyed) return void res.destroy();
    reportUnexpected("in the app's fetch", error);
    return answer(res, 500, "INTERNAL_ERROR", internalErrorMessage("in the app"));
  }
  if (res.destroyed) return void (await response.body?.cancel().catch(() => undefined));
  // An answer given while the server shuts down is the connection's last.
  if (exchanges.closing) res.setHeader("connection", "close");
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  // The head goes out at once: a stream's first event may take a while.
  res.flushHeaders();
  await pipeBody(response.body, res, backlog);
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request | undefined {
  const method = req.method ?? "GET";
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const hasBody = method !== "GET" && method !== "HEAD";
    const target = req.url ?? "/";
    if (!target.startsWith("/")) return undefined;
    return new Request(`http://${req.headers.host ?? "localhost"}${target}`, {
      method,
      headers,
      signal,
      ...(hasBody ? { body: requestBody(req), duplex: "half" } : {}),
    });
  } catch {
    // A Host header that is not a host (e.g. "a b") makes no valid URL.
    return undefined;
  }
}

/**
 * The request's body as a web stream that reads from the socket only as the
 * app reads from it (a pull per chunk), so an app that reads slowly holds at
 * most a chunk, and one that never reads leaves the rest on the socket.
 */
function requestBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks: AsyncIterator<Buffer, undefined> = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

async function pipeBody(body: ReadableStream<Uint8Array>, res: ServerResponse, backlog: Backlog): Promise<void> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  res.once("close", cancel);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) {
        backlog.update(res.socket);
        await untilDrainedOrClosed(res);
      }
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    // The app's body failed mid-way (or a fault cut it): the client sees the connection cut, as it was.
    res.destroy();
  } finally {
    res.off("close", cancel);
  }
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent || res.destroyed) return void res.destroy();
  res.writeHead(status, { "content-type": "application/json", "x-request-id": newRequestId() });
  res.end(errorBody(code, message));
}
