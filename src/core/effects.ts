/**
 * The vocabulary between the protocol core and its drivers. A core operation is
 * a generator: it yields an `Effect`, the driver performs it (asynchronously,
 * or blocking through a worker thread) and resumes the generator with the
 * result, or throws the failure into it. The core itself never does I/O, so
 * the same flow logic serves both clients.
 */

export interface HttpRequest {
  method: "GET" | "POST";
  /** Path below the base URL, with any query string: `/seq/o/p/s/execute`. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string | undefined;
}

/** A whole response, read into memory. */
export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The decoded body. For a failed response, at most the first `maxErrorBytes`. */
  text: string;
}

/**
 * How much of a whole answer is read into memory: a success in full up to
 * `maxBodyBytes` (past it the call fails), a failure to its first
 * `maxErrorBytes` (the rest is never read).
 */
export interface BodyLimits {
  maxBodyBytes: number;
  maxErrorBytes: number;
}

/** A driver's handle on a response body that is being streamed. */
export interface BodyHandle {
  readonly kind: "body";
}

export interface StreamHead {
  status: number;
  headers: Record<string, string>;
  body: BodyHandle;
}

/** What an operation asks its driver to do; `E` is what a stream operation hands to its consumer. */
export type Effect<E = never> =
  /** Send a request and read its whole response, from sending to its last byte within `timeoutMs`. */
  | ({ op: "fetch"; request: HttpRequest; timeoutMs: number } & BodyLimits)
  /** Send a request and return once the response headers arrive. */
  | { op: "open"; request: HttpRequest; timeoutMs: number }
  /** The next bytes of a streamed body, or `null` at its end; fails after `timeoutMs` of silence. */
  | { op: "read"; body: BodyHandle; timeoutMs: number }
  /** The rest of a streamed body as text, at most `maxBytes` (used for error bodies). */
  | { op: "readText"; body: BodyHandle; maxBytes: number; timeoutMs: number }
  /** Stop reading a body and release its connection. */
  | { op: "discard"; body: BodyHandle }
  /** Wait, unless the call is cancelled. */
  | { op: "sleep"; ms: number }
  /** Run caller code (a tool handler); its result may be a promise for the async driver. */
  | { op: "call"; fn: (...args: never[]) => unknown; args: readonly unknown[]; name: string }
  /** Hand one value to the consumer of a stream and wait until it asks for the next. */
  | { op: "emit"; value: E }
  /** Hand these values to the consumer one by one, as if each were emitted, and wait until it asks for the one after them. */
  | { op: "emitEach"; values: readonly E[] };

/** A core operation that returns `T` (and, inside a stream, may emit values of type `E`). */
export type Op<T, E = never> = Generator<Effect<E>, T, unknown>;

/** A core operation that emits values of type `E` to its consumer. */
export type StreamOp<E> = Generator<Effect<E>, void, unknown>;
