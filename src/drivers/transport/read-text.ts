/**
 * Reads a body to its end (or to `maxBytes`) as UTF-8 text, then lets it go:
 * what both transports do with error bodies, where only the first bytes are
 * worth keeping.
 */
export async function readBoundedText(
  read: (timeoutMs: number) => Promise<Uint8Array | null>,
  discard: () => void,
  maxBytes: number,
  timeoutMs: number,
): Promise<string> {
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
  const bytes = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= bytes.length) break;
    bytes.set(chunk.subarray(0, bytes.length - offset), offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}
