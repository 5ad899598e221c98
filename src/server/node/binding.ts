import type { IncomingMessage, ServerResponse } from "node:http";
import { handleAppRequest, type BindableServerApp } from "../app/create-app.js";
import { BodyBudgetError, BodyTooLargeError, type AppRequest, type AppResponse } from "../app/http-types.js";
import type { ByteSink } from "../byte-sink.js";
import type { ByteBudget } from "../state/byte-budget.js";
import { newRequestId } from "../app/request-id.js";
import { errorBody } from "../app/respond.js";
import { internalErrorMessage, reportUnexpected } from "../unexpected.js";
import { untilDrainedOrClosed } from "./drain.js";
import type { Backlog } from "./backlog.js";
import type { Exchanges } from "./exchanges.js";

/**
 * The thin Node binding: `node:http` request → app → response, with no
 * WHATWG objects in between. Streamed bodies respect the socket's
 * backpressure, and a client that goes away aborts what it was waiting for.
 */
export function nodeRequestHandler(app: BindableServerApp, exchanges: Exchanges, backlog: Backlog): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = app[handleAppRequest];
  return (req, res) => {
    // One chain for the app and for sending: an error in either is answered, never left unhandled.
    handle(appRequest(req, res, exchanges))
      .then((response) => send(req, res, response, exchanges, backlog))
      .catch((error: unknown) => answerUnexpected(req, res, error))
      .finally(() => exchanges.end(res));
  };
}

function answerUnexpected(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  // The client went away mid-request (e.g. while sending its body): nothing to answer.
  if (req.socket.destroyed || res.destroyed) {
    res.destroy();
    return;
  }
  // A bug, not a refusal: answer 500 without details (they could hold request data).
  reportUnexpected("serving a request", error);
  if (!res.headersSent) {
    res.writeHead(500, { "content-type": "application/json", "x-request-id": newRequestId() });
    res.end(errorBody("INTERNAL_ERROR", internalErrorMessage("serving this request")));
  } else res.destroy();
}

function appRequest(req: IncomingMessage, res: ServerResponse, exchanges: Exchanges): AppRequest {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return {
    method: req.method ?? "GET",
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? "" : url.slice(q + 1),
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    readBody: (limit, budget) => {
      // While its body arrives, a connection may be closed to make room for others (see capConnections).
      exchanges.receiving(req.socket, true);
      return readBody(req, limit, budget).finally(() => exchanges.receiving(req.socket, false));
    },
    onAbort: (listener) =>
      res.once("close", () => {
        if (!res.writableFinished) listener();
      }),
  };
}

function readBody(req: IncomingMessage, limit: number, budget: ByteBudget): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = (error: Error) => {
      // Stop keeping it at once. The rest is discarded, not refused, so the
      // client can finish sending and read the answer (a reset could lose it).
      req.off("data", onData);
      req.resume();
      budget.give(size);
      chunks.length = 0;
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) return refuse(new BodyTooLargeError(limit));
      if (!budget.take(chunk.length)) return refuse(new BodyBudgetError());
      size += chunk.length;
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve({ text: chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"), bytes: size }));
    const cut = (error: Error) => {
      req.off("data", onData);
      budget.give(size);
      chunks.length = 0;
      reject(error);
    };
    req.once("error", cut);
    // A body cut short always ends this wait, whatever events the connection sent before closing.
    req.once("close", () => {
      if (!req.complete) cut(new Error("the client went away before sending its whole body"));
    });
  });
}

/** Sends the answer; resolves once it is handed over whole (a stream, once it has ended). */
async function send(req: IncomingMessage, res: ServerResponse, response: AppResponse, exchanges: Exchanges, backlog: Backlog): Promise<void> {
  if (response.reset) {
    req.socket.destroy();
    return;
  }
  const { status, headers, body } = response;
  if (response.observer) exchanges.markObserver(res);
  // An answer given while the server shuts down is the connection's last.
  if (exchanges.closing) headers.connection = "close";
  if (typeof body !== "function") {
    if (body !== null) headers["content-length"] = String(Buffer.byteLength(body));
    res.writeHead(status, headers);
    res.end(body ?? undefined);
    backlog.update(res.socket);
    return;
  }
  res.writeHead(status, headers);
  res.flushHeaders();
  const sink = socketSink(res, backlog);
  await body(sink).then(
    () => sink.end(),
    () => sink.destroy(),
  );
}

function socketSink(res: ServerResponse, backlog: Backlog): ByteSink {
  let ended = false;
  return {
    write: (chunk) => {
      if (ended) return false;
      const more = res.write(chunk);
      if (!more) backlog.update(res.socket);
      return more;
    },
    // The socket may have drained already (between the write and this call).
    drain: () => (ended ? Promise.resolve() : untilDrainedOrClosed(res)),
    end: () => {
      if (ended) return;
      ended = true;
      res.end();
    },
    destroy: () => {
      ended = true;
      // Deliver what was written, then drop the connection with the body unfinished.
      const socket = res.socket;
      if (socket) socket.destroySoon();
      else res.destroy();
    },
    get closed() {
      return ended || res.destroyed || res.writableEnded;
    },
    onClose: (listener) => {
      if (res.destroyed || res.writableFinished) listener();
      else res.once("close", listener);
    },
  };
}
