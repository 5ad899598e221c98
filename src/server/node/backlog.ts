import type { Socket } from "node:net";

/**
 * Answers waiting for their readers: the bytes each connection holds because
 * its client does not read them (yet). Past `maxBytes` in all, new requests
 * are refused (503 SERVER_BUSY) until readers catch up; a stream that keeps
 * adding to a backlog twice that size is cut; a connection whose reader
 * takes nothing for `stallMs` is closed, which frees what it held. So
 * clients that ask for big answers and never read them cannot pile those
 * answers up in the server.
 */
export class Backlog {
  readonly #held = new Map<Socket, { bytes: number; written: number; since: number }>();
  readonly #watched = new WeakSet<Socket>();
  #total = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly maxBytes: number,
    readonly stallMs: number,
  ) {}

  get full(): boolean {
    return this.#total > this.maxBytes;
  }

  /** After a write: notes what `socket` still holds for its reader. */
  update(socket: Socket | null): void {
    if (!socket) return;
    const bytes = socket.destroyed ? 0 : socket.writableLength;
    const held = this.#held.get(socket);
    if (held) {
      const grew = bytes > held.bytes;
      this.#total += bytes - held.bytes;
      held.bytes = bytes;
      if (bytes === 0) this.#held.delete(socket);
      // Streams keep writing after they were let in: one that adds to a backlog twice the limit is dropped.
      if (grew && this.#total > 2 * this.maxBytes) socket.destroy();
      return;
    }
    if (bytes === 0) return;
    this.#held.set(socket, { bytes, written: socket.bytesWritten, since: Date.now() });
    this.#total += bytes;
    if (!this.#watched.has(socket)) {
      this.#watched.add(socket);
      socket.on("drain", () => this.update(socket));
      socket.once("close", () => this.update(socket));
    }
    this.#timer ??= setInterval(() => this.#dropStalled(), Math.max(100, this.stallMs / 3));
    this.#timer.unref?.();
  }

  #dropStalled(): void {
    const now = Date.now();
    for (const [socket, held] of this.#held) {
      if (socket.bytesWritten > held.written) {
        held.written = socket.bytesWritten;
        held.since = now;
      } else if (now - held.since >= this.stallMs) {
        socket.destroy();
      }
    }
    if (this.#held.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
