import { JSON_TYPE, type RefusalBody } from "../protocol.js";

/**
 * A request the relay answers with an error: its status, a code the browser
 * client turns into a typed error, a message, and headers (`Retry-After`).
 * `authorize` may throw one to choose what a refused browser is told.
 */
export class RelayRefusal extends Error {
  override readonly name: string = "RelayRefusal";
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The service's request id, when the refusal is the service's. */
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, extra: { headers?: Record<string, string>; requestId?: string | undefined } = {}) {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`RelayRefusal needs an error status (400 to 599), got ${String(status)}.`);
    if (typeof code !== "string" || !/^[A-Z][A-Z0-9_]{0,63}$/.test(code)) throw new TypeError(`RelayRefusal needs a code in capitals (like "LOGIN_REQUIRED"), got ${JSON.stringify(code)}.`);
    this.status = status;
    this.code = code;
    this.headers = extra.headers ?? {};
    this.requestId = extra.requestId;
  }

  /** The answer the browser gets: the status, `{ detail: { code, message } }`, the request id and the refusal's headers. */
  toResponse(relayRequestId: string): Response {
    const body: RefusalBody = { detail: { code: this.code, message: this.message } };
    return new Response(JSON.stringify(body), {
      status: this.status,
      headers: { "content-type": JSON_TYPE, "cache-control": "no-store", "x-request-id": this.requestId ?? relayRequestId, ...this.headers },
    });
  }
}
