import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataDirError } from "../../src/server/persist/data-dir-error.js";
import { LOCK_FILE, lockDataDir } from "../../src/server/persist/dir-lock.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "noukai-lock-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the data directory's lock", () => {
  it("holds this process's id while taken, refuses a second taker, and goes when released", async () => {
    const release = lockDataDir(dir);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirError);
    expect(() => lockDataDir(dir)).toThrow(/is in use by another server \(process \d+\)/);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir)();
  });

  it("takes over a lock whose process has exited (a server killed with SIGKILL)", async () => {
    // A real process that has come and gone: its id is no one's now.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    await writeFile(join(dir, LOCK_FILE), gone);
    const release = lockDataDir(dir);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(String(process.pid));
    release();
  });

  it("takes over a lock file that names no process", async () => {
    await writeFile(join(dir, LOCK_FILE), "not a pid");
    lockDataDir(dir)();
  });
});
