import type { ByteBudget } from "../state/byte-budget.js";
import { BodyBudgetError, BodyTooLargeError, type AppRequest, type AppResponse } from "./http-types.js";
import type { ByteSink } from "../byte-sink.js";

/** A fault asked for the connection to be dropped: `fetch` rejects, like a client's fetch would. */
export class ConnectionResetError extends Error {
  constructor() {
    super("the server reset the connection (injected fault)");
    this.name = "ConnectionResetError";
  }
}

export function fromFetchRequest(request: Request): AppRequest {
  const url = request.url;
  // Only the path and query matter; avoid a full URL parse on the hot path.
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const pathAndQuery = start < 0 ? "/" : url.slice(start);
  const hash = pathAndQuery.indexOf("#");
  const target = hash < 0 ? pathAndQuery : pathAndQuery.slice(0, hash);
  const q = target.indexOf("?");
  return {
    method: request.method.toUpperCase(),
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? "" : target.slice(q + 1),
    header: (name) => request.headers.get(name) ?? undefined,
    readBody: (limit, budget) => readLimited(request, limit, budget),
    onAbort: (listener) => request.signal.addEventListener("abort", listener, { once: true }),
  };
}

async function readLimited(request: Request, limit: number, budget: ByteBudget): Promise<{ text: string; bytes: number }> {
  if (!request.body) return { text: "", bytes: 0 };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limit) throw new BodyTooLargeError(limit);
      if (!budget.take(value.byteLength)) throw new BodyBudgetError();
      size += value.byteLength;
      chunks.push(value);
    }
  } catch (error) {
    budget.give(size);
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes: size };
}

export function toFetchResponse(response: AppResponse): Response {
  if (response.reset) throw new ConnectionResetError();
  const { status, headers, body } = response;
  if (typeof body !== "function") return new Response(body, { status, headers });
  return new Response(streamOf(body), { status, headers });
}

const QUEUED_CHUNKS = 64;

function streamOf(produce: (sink: ByteSink) => Promise<void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let closed = false;
  // A cut (destroy) delivers what was written before it, then errors the stream, like a socket that drops.
  let cut = false;
  // Everyone waiting for room (a writer notices backpressure, and its producer waits on it too).
  const waiting: Array<() => void> = [];
  const listeners: Array<() => void> = [];
  const wake = () => waiting.splice(0).forEach((resolve) => resolve());
  const markClosed = () => {
    if (closed) return;
    closed = true;
    wake();
    listeners.splice(0).forEach((listener) => listener());
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const sink: ByteSink = {
          write(chunk) {
            if (closed) return false;
            controller.enqueue(encoder.encode(chunk));
            return (controller.desiredSize ?? 1) > 0;
          },
          // Room may have been made already (a pull before this call): never wait for a wake-up that came.
          drain: () => (closed || (controller.desiredSize ?? 1) > 0 ? Promise.resolve() : new Promise<void>((resolve) => void waiting.push(resolve))),
          end() {
            if (closed) return;
            markClosed();
            controller.close();
          },
          destroy() {
            if (closed) return;
            markClosed();
            cut = true;
            cutWhenRead(controller);
          },
          get closed() {
            return closed;
          },
          onClose(listener) {
            if (closed) listener();
            else listeners.push(listener);
          },
        };
        produce(sink).then(
          () => sink.end(),
          () => sink.destroy(),
        );
      },
      pull(controller) {
        wake();
        if (cut) cutWhenRead(controller);
      },
      cancel: markClosed,
    },
    { highWaterMark: QUEUED_CHUNKS },
  );
}

/** Errors the stream once the reader has taken every chunk written before the cut. */
function cutWhenRead(controller: ReadableStreamDefaultController<Uint8Array>): void {
  if (controller.desiredSize === QUEUED_CHUNKS) controller.error(new ConnectionResetError());
}
