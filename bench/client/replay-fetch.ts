import { flowCompleted, runStarted, stepCompleted } from "./fixed-events.js";

/**
 * A `fetch` that answers every request with the fixed stream of `count`
 * events, from memory, in 64 KiB chunks: no server and no socket, so what is
 * measured through it is the client's own work per event.
 */
export function replayFetch(count: number): typeof fetch {
  let text = runStarted(count);
  for (let i = 0; i < count; i++) text += stepCompleted(i);
  text += flowCompleted();
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 65_536) chunks.push(bytes.subarray(at, at + 65_536));
  return async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
      { status: 200, headers: { "content-type": "text/event-stream", "x-request-id": "req_replay" } },
    );
}
