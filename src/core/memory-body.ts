import type { BodyHandle } from "./effects.js";

/**
 * A response body that is already in memory (a middleware's answer): read by
 * the core itself, with no effect, so that an answered request never reaches
 * a driver or a socket.
 */
export class MemoryBody implements BodyHandle {
  readonly kind = "body" as const;
  #bytes: Uint8Array | null;

  constructor(text: string) {
    this.#bytes = new TextEncoder().encode(text);
  }

  /** The whole body on the first read, then `null`. */
  read(): Uint8Array | null {
    const bytes = this.#bytes;
    this.#bytes = null;
    return bytes;
  }

  /** The rest as text, at most `maxBytes`. */
  readText(maxBytes: number): string {
    const bytes = this.read();
    return bytes === null ? "" : new TextDecoder().decode(bytes.subarray(0, maxBytes));
  }
}
