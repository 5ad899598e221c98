import type { ByteSink } from "../byte-sink.js";
import type { ByteBudget } from "../state/byte-budget.js";

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
  /**
   * The body as text, and its size in bytes. Rejects with BodyTooLargeError
   * past `limit` bytes, or BodyBudgetError when `budget` (shared by every body
   * being received) has no room for the next chunk; either way the rest is not
   * kept. The bytes stay taken from `budget` until the caller gives them back.
   */
  readBody(limit: number, budget: ByteBudget): Promise<{ text: string; bytes: number }>;
  /** Runs once if the client goes away before the answer is complete. */
  onAbort(listener: () => void): void;
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

/** The bodies being received already hold all the memory allowed for them. */
export class BodyBudgetError extends Error {
  constructor() {
    super("the server is receiving too many request bodies at once");
    this.name = "BodyBudgetError";
  }
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}
