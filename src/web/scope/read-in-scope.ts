/**
 * A response whose body is read from inside the scope it was made in.
 *
 * A framework reads a streamed body after the handler has returned, from
 * its own code (a socket's `drain`, the server's read loop): outside the
 * request's scope, so a call a body makes lazily (in a `ReadableStream`'s
 * `pull`, say) would find no scope. Here the body is read by a loop started
 * inside the scope, which serves each read the framework asks for; its
 * reads (and the body's pulls they cause) run in the scope. `finished`
 * settles when the body ended, failed, or was cancelled.
 */
export function readInScope(response: Response, extraHeaders: Record<string, string>): { response: Response; finished: Promise<void> } {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  const init = { status: response.status, statusText: response.statusText, headers };
  const source = response.body;
  if (source === null) return { response: new Response(null, init), finished: Promise.resolve() };
  const reader = source.getReader();
  const wanted: Array<{ resolve: (result: ReadableStreamReadResult<Uint8Array>) => void; reject: (error: unknown) => void }> = [];
  let wake: (() => void) | undefined;
  let cancelled: { reason: unknown } | undefined;

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
  })();

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const result = await new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
          wanted.push({ resolve, reject });
          wake?.();
        });
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      cancel(reason) {
        cancelled = { reason };
        wake?.();
      },
    },
    { highWaterMark: 0 },
  );
  return { response: new Response(body, init), finished };
}
