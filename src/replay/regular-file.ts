/**
 * Cassettes are regular files. Anything else at the path (a FIFO, a device,
 * a socket) could block a synchronous read forever, and with it the whole
 * process: it is refused before it is read or written.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from "node:fs";

/** The text of a regular file; opened without blocking, so a FIFO is refused rather than waited on. */
export function regularFileText(path: string | URL): string {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    if (!fstatSync(fd).isFile()) throw new Error("it is not a regular file");
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/** Throws when something other than a regular file (or a folder, refused on its own) is at the path; a path that cannot be looked at is the write's to report. */
export function refuseSpecialFile(path: string | URL): void {
  let found: ReturnType<typeof statSync>;
  try {
    found = statSync(path, { throwIfNoEntry: false });
  } catch {
    return;
  }
  if (found !== undefined && !found.isFile() && !found.isDirectory()) throw new Error("it is not a regular file");
}
