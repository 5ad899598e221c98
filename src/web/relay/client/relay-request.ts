import type { NoukaiError } from "../../../core/errors.js";
import { cancelled } from "../../../core/client-errors.js";
import { EVENT_STREAM, JSON_TYPE } from "../protocol.js";
import { errorOfFailure, errorOfRefusal } from "./relay-errors.js";

/** Where and how a relay flow sends its requests. */
export interface RelayConnection {
  readonly url: string;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs: number;
  readonly headers: () => Record<string, string>;
}

/**
 * One POST to the relay, bounded: the caller's signal cancels it
 * (`APIUserAbortError`), its timer ends it (`APITimeoutError`), and a network
 * failure is `APIConnectionError`, never a raw `TypeError` or `AbortError`.
 * The timer bounds a whole answer from sending to its last byte; on a stream,
 * each silence (`touch()` restarts it as bytes arrive).
 */
export class RelayRequest {
  readonly #controller = new AbortController();
  readonly #signal: AbortSignal | undefined;
  readonly #timeoutMs: number;
  readonly #what: string;
  #reason: "aborted" | "timeout" | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(signal: AbortSignal | undefined, timeoutMs: number, what: string) {
    this.#signal = signal;
    this.#timeoutMs = timeoutMs;
    this.#what = what;
  }

  /** Sends the body; resolves with the relay's successful answer, or rejects with its refusal as a typed error. */
  static async send(connection: RelayConnection, body: unknown, options: { stream: boolean; signal: AbortSignal | undefined; timeoutMs: number | undefined }): Promise<{ request: RelayRequest; response: Response }> {
    const timeoutMs = options.timeoutMs ?? connection.timeoutMs;
    const request = new RelayRequest(options.signal, timeoutMs, `POST ${connection.url}`);
    if (options.signal?.aborted === true) throw cancelled(`POST ${connection.url}`, options.signal.reason);
    options.signal?.addEventListener("abort", request.#onAbort, { once: true });
    request.touch();
    let response: Response;
    try {
      response = await connection.fetch(connection.url, {
        method: "POST",
        headers: { ...connection.headers(), "content-type": JSON_TYPE, accept: options.stream ? EVENT_STREAM : JSON_TYPE },
        body: JSON.stringify(body),
        signal: request.#controller.signal,
      });
    } catch (error) {
      throw request.fail(error);
    }
    if (!response.ok) {
      const text = await request.text(response);
      request.close();
      throw errorOfRefusal(response.status, response.headers, text);
    }
    return { request, response };
  }

  /** A whole answer's text, within the timer. */
  async text(response: Response): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw this.fail(error);
    }
  }

  /** Restarts the timer: bytes arrived. */
  touch(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#onTimeout, this.#timeoutMs);
  }

  /** What a failure while waiting on this request means: the caller's abort, the timeout, or the network. */
  fail(cause: unknown): NoukaiError {
    const reason = this.#reason;
    this.close();
    if (reason === "aborted") return cancelled(this.#what, this.#signal?.reason);
    return errorOfFailure(this.#what, reason ?? "network", this.#timeoutMs, cause);
  }

  /** Ends the request (a stream left early, or done) and its timer. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    if (!this.#controller.signal.aborted) this.#controller.abort();
  }

  readonly #onAbort = (): void => {
    this.#reason ??= "aborted";
    this.#controller.abort();
  };

  readonly #onTimeout = (): void => {
    this.#reason ??= "timeout";
    this.#controller.abort();
  };
}
