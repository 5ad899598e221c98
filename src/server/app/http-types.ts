/**
 * The app's own minimal request/response shapes. `app.fetch` adapts standard
 * `Request`/`Response` to them; the Node binding maps `node:http` straight onto
 * them, which spares building WHATWG objects on the hot path.
 */
export interface AppRequest {
  readonly method: string;
  /** The raw path, still percent-encoded, without the query string. */
  readonly path: string;
  /** The query string without `?` ("" when none). */
  readonly query: string;
  /** A header value by lower-case name. */
  header(name: string): string | undefined;
  /** The body as text; rejects with BodyTooLargeError past `limit` bytes, without reading the rest. */
  readBody(limit: number): Promise<string>;
  /** Runs once if the client goes away before the answer is complete. */
  onAbort(listener: () => void): void;
}

/** Where a streamed body goes (a socket, or a ReadableStream). */
export interface ByteSink {
  /** False means: slow down, wait for drain(). */
  write(chunk: string): boolean;
  drain(): Promise<void>;
  end(): void;
  /** Ends the connection abruptly, with no proper end of body (fault injection). */
  destroy(): void;
  readonly closed: boolean;
  /** Runs once when the sink closes (ended, destroyed, or the client went away). */
  onClose(listener: () => void): void;
}

/** A streamed body: writes into the sink and resolves when done (the binding then ends it). */
export type StreamBody = (sink: ByteSink) => Promise<void>;

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string | StreamBody | null;
  /** Destroy the connection instead of answering (fault injection). */
  reset?: true;
  /** A stream that only watches (a live trace): a shutdown ends it rather than waiting for it. */
  observer?: true;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}
