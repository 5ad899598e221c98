import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/** Node's header object as web `Headers` (a repeated header keeps each value). */
export function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/**
 * A request's body as a web stream that reads the socket only when pulled,
 * and on cancel merely stops (pausing), where destroying the request would
 * destroy the socket the answer goes out on. `complete` says whether it was
 * read to its end: when not, the answer closes the connection, so the rest
 * is never read (Node would otherwise read and discard it to reuse the
 * connection).
 */
export class NodeRequestBody {
  readonly #request: IncomingMessage & { body?: unknown; _body?: unknown };
  #complete = false;

  constructor(request: IncomingMessage) {
    this.#request = request;
  }

  get complete(): boolean {
    return this.#complete;
  }

  open(): ReadableStream<Uint8Array> | null {
    const request = this.#request;
    // A body parser mounted before the relay has read the body already: what it parsed is all there is.
    if (request._body === true || request.readableEnded) return parsedBody(request.body, () => (this.#complete = true));
    const chunks = request;
    let listening = false;
    // After a cancel, chunks already on their way must not reach the closed stream (that would throw in Node's event loop).
    let open = true;
    return new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          if (!listening) {
            listening = true;
            chunks.on("data", (chunk: Buffer) => {
              if (!open) return;
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
              if ((controller.desiredSize ?? 0) <= 0) chunks.pause();
            });
            chunks.once("end", () => {
              this.#complete = true;
              if (open) controller.close();
              open = false;
            });
            chunks.once("error", (error) => {
              if (open) controller.error(error);
              open = false;
            });
            chunks.once("close", () => {
              if (open && !this.#complete) controller.error(new Error("the connection closed before the body ended"));
              open = false;
            });
          }
          chunks.resume();
        },
        cancel: () => {
          open = false;
          chunks.pause();
        },
      },
      { highWaterMark: 1 },
    );
  }
}

function parsedBody(body: unknown, done: () => void): ReadableStream<Uint8Array> | null {
  done();
  if (body === undefined || body === null) return null;
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body instanceof Uint8Array ? body : new TextEncoder().encode(JSON.stringify(body));
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
