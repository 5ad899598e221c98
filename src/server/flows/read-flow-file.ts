import { constants, type Stats } from "node:fs";
import { open } from "node:fs/promises";

/** Flow files bigger than this are refused unread. */
export const MAX_FLOW_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Reads one flow file, or says why it is not one. Only regular files are
 * read (a link to one is fine): a FIFO, device, socket or directory named
 * `*.json` is refused without blocking on it, since it is opened with
 * O_NONBLOCK and checked on the open descriptor (no race between a check and
 * the read). A file over the size limit is refused before it is read.
 */
export async function readFlowFile(file: string, signal: AbortSignal | undefined): Promise<{ text: string } | { problem: string }> {
  let handle;
  try {
    // O_NONBLOCK does not exist on Windows, where FIFOs cannot be named *.json in a directory anyway.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { problem: `cannot open the file (${codeOf(error)})` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { problem: `not a regular file but ${kindOf(stats)}; only regular files (or links to them) are loaded` };
    if (stats.size > MAX_FLOW_FILE_BYTES) return { problem: `the file is ${stats.size} bytes; a flow file may be at most ${MAX_FLOW_FILE_BYTES} bytes` };
    // One byte more than stat said, to notice a file that grew meanwhile.
    const buffer = Buffer.alloc(stats.size + 1);
    let length = 0;
    while (length < buffer.length) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > stats.size) return { problem: "the file changed while it was read; try again" };
    // A byte-order mark is not JSON, but editors write one.
    const text = buffer.toString("utf8", 0, length);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    return { problem: `cannot read the file (${codeOf(error)})` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

function codeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "unknown error";
}
