/**
 * How long a response body may wait for its first read before its scope
 * lets it go. A server starts reading a body as soon as it has the response
 * (a slow client only slows later reads, never the first), so a body still
 * unread by then was dropped: a framework answering HEAD with the headers
 * alone, or an app that built a new Response from the old one's headers.
 * Without the bound its scope would never end, nor report a replay's leftovers.
 */
export const UNREAD_BODY_BOUND_MS = 60_000;

/** Statuses whose response has no body by definition (RFC 9110 §6.4.1). */
const BODYLESS_STATUSES = new Set([204, 205, 304]);

/**
 * A response whose body is read from inside the scope it was made in.
 *
 * A framework reads a streamed body after the handler has returned, from
 * its own code (a socket's `drain`, the server's read loop): outside the
 * request's scope, so a call a body makes lazily (in a `ReadableStream`'s
 * `pull`, say) would find no scope. Here the body is read by a loop started
 * inside the scope, which serves each read the framework asks for; its
 * reads (and the body's pulls they cause) run in the scope. `finished`
 * settles when the body ended, failed, or was cancelled, or at once when
 * the answer carries no body (a HEAD request, a 204, 205 or 304: the body
 * is cancelled unread), or when no read came within `UNREAD_BODY_BOUND_MS`
 * (the body is cancelled, and a read after that fails saying why).
 */
export function readInScope(response: Response, extraHeaders: Record<string, string>, requestMethod: string): { response: Response; finished: Promise<void> } {
  // `Response.error()` (a network error, status 0) carries nothing to add to and no body to read: it passes as it is.
  if ((response as { type?: unknown }).type === "error") return { response, finished: Promise.resolve() };
  // Any other status a Response cannot be made with is the handler's mistake, named, not a RangeError from within.
  if (!Number.isInteger(response.status) || response.status < 200 || response.status > 599) {
    throw new TypeError(`The handler answered with status ${String(response.status)}; a Response's status is from 200 to 599.`);
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  const init = { status: response.status, statusText: response.statusText, headers };
  const source = response.body;
  if (source === null) return { response: new Response(null, init), finished: Promise.resolve() };
  if (requestMethod.toUpperCase() === "HEAD" || BODYLESS_STATUSES.has(response.status)) {
    return { response: new Response(null, init), finished: source.cancel().catch(() => undefined) };
  }
  const reader = source.getReader();
  const wanted: Array<{ resolve: (result: ReadableStreamReadResult<Uint8Array>) => void; reject: (error: unknown) => void }> = [];
  let wake: (() => void) | undefined;
  let cancelled: { reason: unknown } | undefined;
  let letGo = false;
  const unread = setTimeout(() => {
    letGo = true;
    cancelled = { reason: new Error("the response body was never read") };
    wake?.();
  }, UNREAD_BODY_BOUND_MS);
  (unread as { unref?: () => void }).unref?.();

  const finished = (async () => {
    for (;;) {
      while (wanted.length === 0 && cancelled === undefined) await new Promise<void>((resolve) => (wake = resolve));
      if (cancelled !== undefined) {
        await reader.cancel(cancelled.reason).catch(() => undefined);
        return;
      }
      const next = wanted.shift();
      if (next === undefined) continue;
      try {
        const result = await reader.read();
        next.resolve(result);
        if (result.done) return;
      } catch (error) {
        next.reject(error);
        return;
      }
    }
  })().finally(() => clearTimeout(unread));

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clearTimeout(unread);
        if (letGo) throw new Error(`The response body was not read within ${UNREAD_BODY_BOUND_MS / 1000} s of the handler's answer: its request's scope had ended, and the body was cancelled.`);
        const result = await new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
          wanted.push({ resolve, reject });
          wake?.();
        });
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      cancel(reason) {
        clearTimeout(unread);
        cancelled = { reason };
        wake?.();
      },
    },
    { highWaterMark: 0 },
  );
  return { response: new Response(body, init), finished };
}
