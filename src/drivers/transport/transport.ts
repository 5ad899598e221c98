import type { BodyHandle, BodyLimits, HttpRequest, HttpResponse } from "../../core/effects.js";
import type { Cancellation } from "../cancellation.js";

/**
 * How the drivers talk HTTP. Two implementations: on Node, undici for whole
 * answers and `node:http` for event streams (see ./node-transport.ts for
 * why), and `fetch` elsewhere or when the caller passes one. Both enforce
 * the timeouts and the cancellation, and fail only with the SDK's error
 * classes.
 */
export interface Transport {
  /**
   * Sends a request and reads its whole response within `timeoutMs`, from
   * sending to the last byte; a success of more than `maxBodyBytes` fails with
   * `RESPONSE_TOO_LARGE`, a failure is kept to its first `maxErrorBytes`.
   */
  fetch(request: HttpRequest, options: FetchOptions): Promise<HttpResponse>;
  /** Sends a request and resolves when the response headers arrive. */
  open(request: HttpRequest, options: RequestOptions): Promise<TransportHead>;
  /** Ends every connection. */
  close(): void;
}

export interface RequestOptions {
  /** For `fetch`, the whole exchange; for `open`, until the response headers, then each silence while reading the body. */
  timeoutMs: number;
  cancel: Cancellation;
}

export type FetchOptions = RequestOptions & BodyLimits;

export interface TransportHead {
  status: number;
  headers: Record<string, string>;
  body: TransportBody;
}

export interface TransportBody extends BodyHandle {
  /** The bytes received since the last read, or `null` at the end; fails after `timeoutMs` of silence (undefined: no bound of its own). */
  read(timeoutMs: number | undefined): Promise<Uint8Array | null>;
  /** The rest of the body as text, at most `maxBytes`; the remainder is dropped unread. */
  readText(maxBytes: number, timeoutMs: number | undefined): Promise<string>;
  /** Stops reading and frees the connection. Safe to call more than once. */
  discard(): void;
}

/** The base URL's path without its trailing slashes: what every request path is appended to. */
export function basePathOf(baseUrl: URL): string {
  return baseUrl.pathname.replace(/\/+$/, "");
}
