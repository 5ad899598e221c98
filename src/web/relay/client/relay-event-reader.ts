import { createParser, type EventSourceMessage } from "eventsource-parser";
import { APIConnectionError } from "../../../core/errors.js";
import { isJsonObject } from "../../../core/json-object.js";
import type { RelayRequest } from "./relay-request.js";

/** One event of a relay's stream: its name and its JSON payload. */
export interface RelayFrame {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

/**
 * The events of a relay's answer, as they arrive: bytes to text (UTF-8 split
 * across chunks), text to SSE frames (`eventsource-parser`: LF, CR, CRLF,
 * comments), frames to named JSON payloads. Each chunk restarts the
 * request's silence timer; a payload that is not a JSON object is an error,
 * not a skipped event.
 */
export async function* readRelayEvents(request: RelayRequest, response: Response): AsyncGenerator<RelayFrame, void, undefined> {
  const body = response.body;
  if (body === null) return;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => parsed.push(event) });
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw request.fail(error);
      }
      if (chunk.done) {
        parser.feed(decoder.decode());
      } else {
        request.touch();
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
      for (const event of parsed.splice(0)) yield frameOf(event);
      if (chunk.done) return;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function frameOf(event: EventSourceMessage): RelayFrame {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    data = undefined;
  }
  if (!isJsonObject(data)) throw new APIConnectionError(`The relay sent a "${event.event ?? "message"}" event whose data is not a JSON object.`, { code: "INVALID_EVENT" });
  return { name: event.event ?? "message", data };
}
