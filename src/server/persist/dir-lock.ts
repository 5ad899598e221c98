import { openSync, readFileSync, rmSync, unlinkSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { DataDirError } from "./data-dir-error.js";

/** The file that says which process keeps its state in a data directory. */
export const LOCK_FILE = "noukai.lock";

/**
 * One server per data directory: two writing the same state would each
 * overwrite the other's records. The lock is a file holding the owner's pid,
 * created exclusively; one left by a process that no longer exists (killed,
 * crashed) is stale and taken over, so a server killed with SIGKILL does not
 * lock its directory for good. Returns the function that releases it.
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let tries = 0; ; tries++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || tries > 0) throw lockError(dir, error);
      const owner = ownerOf(path);
      if (owner !== undefined && isAlive(owner)) {
        throw new DataDirError(`the data directory ${dir} is in use by another server (process ${owner}); only one may keep its state there at a time`);
      }
      // Stale: its owner is gone. Removed, then created again exclusively, so of two servers starting at once only one wins.
      unlinkSync(path);
    }
  }
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 tests that a process exists without touching it; EPERM means it exists under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/** A killed process whose parent has not reaped it yet still answers signal 0; on Linux /proc says it is a zombie. */
function isZombie(pid: number): boolean {
  try {
    // The state follows the command name, which is in parentheses and may itself hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

function lockError(dir: string, error: unknown): Error {
  return error instanceof DataDirError ? error : new DataDirError(`cannot lock the data directory ${dir}: ${(error as Error).message}`);
}
