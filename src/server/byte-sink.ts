/** Where a streamed body goes (a socket, or a ReadableStream). */
export interface ByteSink {
  /** False means: slow down, wait for drain(). */
  write(chunk: string): boolean;
  /** Resolves when there is room again (or the sink closed); any number of callers may wait at once. */
  drain(): Promise<void>;
  end(): void;
  /** Ends the connection abruptly, with no proper end of body (fault injection). */
  destroy(): void;
  readonly closed: boolean;
  /** Runs once when the sink closes (ended, destroyed, or the client went away). */
  onClose(listener: () => void): void;
}
