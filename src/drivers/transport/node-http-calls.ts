import type { HttpRequest, HttpResponse } from "../../core/effects.js";
import type { NodeHttpStreams } from "./node-http-streams.js";
import { readWholeText } from "./read-text.js";
import type { FetchOptions } from "./transport.js";
import { timeoutError, tooLargeError } from "./transport-errors.js";

/**
 * A whole answer over `node:http`, for the calls a client makes before
 * undici has loaded (see ./node-transport.ts): the same contract as
 * undici's path. One timeout bounds the exchange from sending to the last
 * byte, a success of more than `maxBodyBytes` fails with
 * `RESPONSE_TOO_LARGE` and is dropped as it comes, and a failure is kept to
 * its first `maxErrorBytes`.
 */
export async function fetchOverNodeHttp(streams: NodeHttpStreams, request: HttpRequest, options: FetchOptions): Promise<HttpResponse> {
  const { timeoutMs, maxBodyBytes, maxErrorBytes } = options;
  const sent = performance.now();
  const head = await streams.open(request, options);
  const { body } = head;
  const left = Math.max(0, timeoutMs - (performance.now() - sent));
  const timer = setTimeout(() => body.interrupt(timeoutError(request, timeoutMs, "answer")), left);
  try {
    if (head.status >= 200 && head.status < 300) {
      const text = await readWholeText((ms) => body.read(ms), () => body.discard(), maxBodyBytes, undefined);
      if (text === undefined) throw tooLargeError(request, maxBodyBytes);
      return { status: head.status, headers: head.headers, text };
    }
    return { status: head.status, headers: head.headers, text: await body.readText(maxErrorBytes, undefined) };
  } finally {
    clearTimeout(timer);
  }
}
