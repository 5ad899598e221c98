import { type CoreConfig, MAX_EVENT_CHARS } from "./config.js";
import type { BodyHandle, Op } from "./effects.js";
import { APIConnectionError, APITimeoutError } from "./errors.js";
import { MemoryBody } from "./memory-body.js";
import { SseFrames } from "./sse-frames.js";
import { boundedWait, pastDeadline, type StreamDeadline } from "./stream-deadline.js";
import { Utf8ChunkDecoder } from "./utf8-chunks.js";

/** One SSE frame: its `event:` field (if any) and its joined `data:` lines. */
export interface RawEvent {
  event: string | undefined;
  data: string;
  /**
   * True when the text the frame came from held neither the API key nor a
   * backslash (so no JSON escape could spell the key either): its data needs
   * no scrubbing, before or after parsing.
   */
  plain?: boolean;
}

/**
 * Bytes → text → SSE frames, for one streamed body. UTF-8 split across
 * chunks and a leading BOM are handled by the decoder; LF, CR and CRLF line
 * ends, comments, multi-line `data`, `id` and `retry` by ./sse-frames.ts,
 * per the SSE specification. Reading is pulled: the
 * next chunk is requested only when every decoded event has been taken.
 * The idle timeout bounds the wait for each event, not for each chunk, so a
 * server that sends only keep-alive comments cannot hold a call forever.
 */
export class SseReader {
  readonly #decoder = new Utf8ChunkDecoder();
  readonly #frames: SseFrames;
  #queue: RawEvent[] = [];
  #head = 0;
  #ended = false;
  /** When the wait for the next event runs out: set by the first read of a wait, cleared when an event is taken. */
  #waitDeadline: number | undefined;
  readonly #body: BodyHandle;
  readonly #idleTimeoutMs: number;
  readonly #config: Pick<CoreConfig, "now" | "redact">;
  /** The stream's totalTimeout, which no wait may outlast. */
  readonly #deadline: StreamDeadline | undefined;
  /** Whether the chunk being fed holds neither the key nor a backslash. */
  #plainChunk = false;
  /** Whether a frame has ended in the chunk being fed: the frames after it lie wholly in that chunk. */
  #endedInChunk = false;

  constructor(body: BodyHandle, idleTimeoutMs: number, config: Pick<CoreConfig, "now" | "redact">, deadline?: StreamDeadline) {
    this.#body = body;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#config = config;
    this.#deadline = deadline;
    // The key is scrubbed here, as the data arrives, like every other answer (see exchange.ts).
    this.#frames = new SseFrames((event, data) => {
      // Looking for the key (and for escapes) once per chunk instead of once per event spares a
      // search per event. Only the first frame to end in a chunk may hold text of earlier chunks,
      // where the key could be cut in two, so that one is always scrubbed on its own.
      const plain = this.#plainChunk && this.#endedInChunk;
      this.#endedInChunk = true;
      this.#queue.push({ event, data: plain ? data : config.redact(data), plain });
    }, MAX_EVENT_CHARS);
  }

  /** The next frame, or `null` when the body has ended. */
  *next(): Op<RawEvent | null> {
    for (;;) {
      const event = this.take();
      if (event !== undefined) return event;
      if (!(yield* this.fill())) return null;
    }
  }

  /**
   * The next frame already decoded, without reading: `undefined` when none is
   * waiting. Hot loops call this first and `fill()` only when it runs dry, so
   * no generator is made per event.
   */
  take(): RawEvent | undefined {
    if (this.#head === this.#queue.length) return undefined;
    // An event reached the caller: the next wait for one starts afresh.
    this.#waitDeadline = undefined;
    return this.#queue[this.#head++];
  }

  /** Reads and decodes the next chunk; false once the body has ended. */
  *fill(): Op<boolean> {
    if (this.#ended) return false;
    this.#queue = [];
    this.#head = 0;
    this.#waitDeadline ??= this.#config.now() + this.#idleTimeoutMs;
    const idleMs = Math.max(1, this.#waitDeadline - this.#config.now());
    const waitMs = boundedWait(idleMs, this.#deadline, this.#config.now());
    let chunk: Uint8Array | null;
    try {
      chunk = this.#body instanceof MemoryBody ? this.#body.read() : ((yield { op: "read", body: this.#body, timeoutMs: waitMs }) as Uint8Array | null);
    } catch (error) {
      if (!(error instanceof APITimeoutError)) throw error;
      // The transport names the shortened wait; the caller set, and should read, the timeout that ran out.
      if (waitMs < idleMs && this.#deadline !== undefined) throw pastDeadline(this.#deadline);
      if (waitMs < this.#idleTimeoutMs) throw noEventIn(this.#idleTimeoutMs, error);
      throw error;
    }
    // (A frame without its closing blank line when the body ends stays incomplete and is dropped, as the specification says.)
    if (chunk === null) this.#ended = true;
    const text = chunk === null ? this.#decoder.end() : this.#decoder.decode(chunk);
    this.#plainChunk = !text.includes("\\") && this.#config.redact(text) === text;
    this.#endedInChunk = false;
    if (!this.#frames.feed(text)) throw tooLarge();
    return true;
  }
}

function tooLarge(): APIConnectionError {
  return new APIConnectionError(`An event in the stream exceeded ${MAX_EVENT_CHARS} characters; the stream was abandoned.`, { code: "EVENT_TOO_LARGE" });
}

function noEventIn(ms: number, cause: APITimeoutError): APITimeoutError {
  return new APITimeoutError(
    `The event stream timed out after ${ms} ms without an event: only keep-alive comments or part of an event arrived.`,
    { code: "TIMEOUT", cause },
  );
}
