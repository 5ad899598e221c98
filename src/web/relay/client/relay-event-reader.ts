import { MAX_EVENT_CHARS } from "../../../core/config.js";
import { APIConnectionError } from "../../../core/errors.js";
import { isJsonObject } from "../../../core/json-object.js";
import { SseFrames } from "../../../core/sse-frames.js";
import type { RelayRequest } from "./relay-request.js";

/** One event of a relay's stream: its name and its JSON payload. */
export interface RelayFrame {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

/**
 * The events of a relay's answer, as they arrive: bytes to text (UTF-8 split
 * across chunks), text to SSE frames (the client's own parser: LF, CR, CRLF,
 * comments), frames to named JSON payloads. Each chunk restarts the
 * request's silence timer; a payload that is not a JSON object, or a frame
 * larger than a client event may be, is an error, not a skipped event.
 */
export async function* readRelayEvents(request: RelayRequest, response: Response): AsyncGenerator<RelayFrame, void, undefined> {
  const body = response.body;
  if (body === null) return;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parsed: RelayFrame[] = [];
  const frames = new SseFrames((name, data) => parsed.push(frameOf(name, data)), MAX_EVENT_CHARS);
  const feed = (text: string) => {
    if (!frames.feed(text)) throw new APIConnectionError(`An event from the relay exceeded ${MAX_EVENT_CHARS} characters; the stream was abandoned.`, { code: "EVENT_TOO_LARGE" });
  };
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw request.fail(error);
      }
      if (chunk.done) {
        feed(decoder.decode());
      } else {
        request.touch();
        feed(decoder.decode(chunk.value, { stream: true }));
      }
      yield* parsed.splice(0);
      if (chunk.done) return;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function frameOf(name: string | undefined, text: string): RelayFrame {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!isJsonObject(data)) throw new APIConnectionError(`The relay sent a "${name ?? "message"}" event whose data is not a JSON object.`, { code: "INVALID_EVENT" });
  return { name: name ?? "message", data };
}
