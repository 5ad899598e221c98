import type { BodyLimits, HttpRequest, HttpResponse } from "../../core/effects.js";

/**
 * Messages between the blocking client (the caller's thread) and the I/O
 * worker. Requests go by `postMessage`; each answer is read synchronously
 * with `receiveMessageOnPort` once the worker has raised the shared flag.
 */
export type Command =
  /**
   * A client's own transport: over the network, or through the fetch a
   * module exports. Its number is the caller's choice, so that the client's
   * first call can follow it at once, without waiting for an answer.
   */
  | { type: "register"; transport: number; baseUrl: string; fetchModule: string | undefined; maxConnections: number }
  | { type: "unregister"; transport: number }
  | ({ type: "fetch"; transport: number; request: HttpRequest; timeoutMs: number } & BodyLimits)
  | { type: "open"; transport: number; request: HttpRequest; timeoutMs: number }
  | { type: "read"; body: number; timeoutMs: number }
  | { type: "readText"; body: number; maxBytes: number; timeoutMs: number }
  /** Answered by nobody: the caller does not wait for a discard. */
  | { type: "discard"; body: number };

/** Every command carries a number; its answer, if it is waited for, carries the same one. */
export type Numbered = Command & { seq: number; answered: boolean };

export type Reply =
  | { seq: number; ok: true; value: ReplyValue }
  | { seq: number; ok: false; error: WireError };

export type ReplyValue =
  | number
  | HttpResponse
  | { status: number; headers: Record<string, string>; body: number }
  | Uint8Array
  | string
  | null
  | undefined;

/** A transport error, flattened for the trip between threads and rebuilt on the caller's. */
export interface WireError {
  kind: "timeout" | "abort" | "connection" | "other";
  message: string;
  code: string | undefined;
  beforeResponse: boolean;
}

/** What the blocking driver needs from the thread that does its I/O. */
export interface BlockingBridge {
  /** Sends a command and returns its answer, blocking the thread until it comes. */
  request(command: Command, timeoutMs: number): ReplyValue;
  /** Sends a command nobody waits for: the worker carries it out in order and answers nothing. */
  send(command: Command): void;
}
