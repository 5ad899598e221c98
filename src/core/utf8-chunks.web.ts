/**
 * UTF-8 bytes → text for the browser build. There `TextDecoder`'s own
 * streaming (`{ stream: true }`) is the engine's native path, and the
 * hand-made split of ./utf8-chunks.ts exists only for Node's speed. It keeps
 * a character cut off at a chunk's end for the next one, drops a byte-order
 * mark at the very start of the stream only, and at the end turns a
 * character still unfinished into U+FFFD: the same text, chunk for chunk.
 */
export class Utf8ChunkDecoder {
  readonly #decoder = new TextDecoder();

  decode(chunk: Uint8Array): string {
    return this.#decoder.decode(chunk, { stream: true });
  }

  /** What is left when the stream ends. */
  end(): string {
    return this.#decoder.decode();
  }
}
