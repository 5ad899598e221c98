type Read = (timeoutMs: number | undefined) => Promise<Uint8Array | null>;

/**
 * Reads a body to its end (or to `maxBytes`) as UTF-8 text, then lets it go:
 * what both transports do with error bodies, where only the first bytes are
 * worth keeping.
 */
export async function readBoundedText(read: Read, discard: () => void, maxBytes: number, timeoutMs: number | undefined): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const chunk = await read(timeoutMs);
      if (chunk === null) break;
      chunks.push(chunk);
      size += chunk.length;
    }
  } finally {
    discard();
  }
  return decode(chunks, Math.min(size, maxBytes));
}

/**
 * Reads a whole body as UTF-8 text, or `undefined` as soon as it proves longer
 * than `maxBytes`: what arrived is dropped then, so a body that never ends
 * costs at most `maxBytes` of memory.
 */
export async function readWholeText(read: Read, discard: () => void, maxBytes: number, timeoutMs: number | undefined): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const chunk = await read(timeoutMs);
      if (chunk === null) return decode(chunks, size);
      size += chunk.length;
      if (size > maxBytes) return undefined;
      chunks.push(chunk);
    }
  } finally {
    discard();
  }
}

function decode(chunks: readonly Uint8Array[], length: number): string {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= length) break;
    bytes.set(chunk.subarray(0, length - offset), offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}
