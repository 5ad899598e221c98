import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyBudgetError, BodyTooLargeError, type AppRequest } from "../app/http-types.js";
import type { ByteBudget } from "../state/byte-budget.js";
import type { Exchanges } from "./exchanges.js";

/**
 * The app's request over a `node:http` one, read straight from what Node
 * parsed. A class rather than an object of closures: one object per request,
 * its methods shared.
 */
export class NodeAppRequest implements AppRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #exchanges: Exchanges;

  constructor(req: IncomingMessage, res: ServerResponse, exchanges: Exchanges) {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    this.method = req.method ?? "GET";
    this.path = q < 0 ? url : url.slice(0, q);
    this.query = q < 0 ? "" : url.slice(q + 1);
    this.#req = req;
    this.#res = res;
    this.#exchanges = exchanges;
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  readBody(limit: number, budget: ByteBudget): Promise<{ text: string; bytes: number }> {
    // While its body arrives, a connection may be closed to make room for others (see capConnections).
    const socket = this.#req.socket;
    const exchanges = this.#exchanges;
    exchanges.receiving(socket, true);
    return readBody(this.#req, limit, budget, () => exchanges.receiving(socket, false));
  }

  onAbort(listener: () => void): void {
    const res = this.#res;
    res.once("close", () => {
      if (!res.writableFinished) listener();
    });
  }
}

/**
 * The body, kept within `limit` and `budget`; `settled` runs once, when the
 * wait ends whichever way (before the promise settles).
 */
function readBody(req: IncomingMessage, limit: number, budget: ByteBudget, settled: () => void): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > limit) return refuse(new BodyTooLargeError(limit));
      if (!budget.take(chunk.length)) return refuse(new BodyBudgetError());
      size += chunk.length;
      chunks.push(chunk);
    };
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      budget.give(size);
      chunks.length = 0;
      settled();
      reject(error);
    };
    const refuse = (error: Error) => {
      // Stop keeping it at once. The rest is discarded, not refused, so the
      // client can finish sending and read the answer (a reset could lose it).
      fail(error);
      req.resume();
    };
    req.on("data", onData);
    req.on("end", () => {
      if (done) return;
      done = true;
      settled();
      resolve({ text: chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"), bytes: size });
    });
    req.on("error", fail);
    // A body cut short always ends this wait, whatever events the connection sent before closing.
    req.on("close", () => {
      if (!req.complete) fail(new Error("the client went away before sending its whole body"));
    });
  });
}
