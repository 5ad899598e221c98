import type { IncomingMessage, ServerResponse } from "node:http";
import { handleAppRequest, type BindableServerApp } from "../app/create-app.js";
import type { AppResponse } from "../app/http-types.js";
import type { ByteSink } from "../byte-sink.js";
import { newRequestId } from "../app/request-id.js";
import { errorBody } from "../app/respond.js";
import { internalErrorMessage, reportUnexpected } from "../unexpected.js";
import { untilDrainedOrClosed } from "./drain.js";
import type { Backlog } from "./backlog.js";
import type { Exchanges } from "./exchanges.js";
import { NodeAppRequest } from "./node-request.js";

/**
 * The thin Node binding: `node:http` request → app → response, with no
 * WHATWG objects in between. Streamed bodies respect the socket's
 * backpressure, and a client that goes away aborts what it was waiting for.
 */
export function nodeRequestHandler(app: BindableServerApp, exchanges: Exchanges, backlog: Backlog): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = app[handleAppRequest];
  return (req, res) => {
    const finish = () => exchanges.end(res);
    // An error in the app or while sending is answered, never left unhandled; the exchange ends either way.
    const fail = (error: unknown) => {
      try {
        answerUnexpected(req, res, error);
      } finally {
        finish();
      }
    };
    handle(new NodeAppRequest(req, res, exchanges)).then((response) => {
      let streaming: Promise<void> | undefined;
      try {
        streaming = send(req, res, response, exchanges, backlog);
      } catch (error) {
        return fail(error);
      }
      if (streaming) streaming.then(finish, fail);
      else finish();
    }, fail);
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

/**
 * Sends the answer. A whole body is handed over at once (undefined); a
 * stream returns a promise that resolves once it has ended.
 */
function send(req: IncomingMessage, res: ServerResponse, response: AppResponse, exchanges: Exchanges, backlog: Backlog): Promise<void> | undefined {
  if (response.reset) {
    req.socket.destroy();
    return undefined;
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
    return undefined;
  }
  res.writeHead(status, headers);
  res.flushHeaders();
  const sink = socketSink(res, backlog);
  return body(sink).then(
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
