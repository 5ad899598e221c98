import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFlowsFromDir } from "noukai/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { testIo } from "../../cli/helpers.js";

/**
 * Rule: a flows directory is read safely. Only regular files (or links to
 * them) are opened for reading, never in a way that blocks; each has a size
 * limit; a problem names the file and where, never its content; and the start
 * of `noukai dev` can be interrupted at any moment.
 */
const SECRET = "root:$6$very-secret-hash:19000:0:99999:7:::";
const flow = { org: "o", project: "p", slug: "s", draft: { steps: [{ id: "a" }] } };

describe("loading a flows directory", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "noukai-flows-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const problemsOf = async (): Promise<string> =>
    loadFlowsFromDir(dir).then(
      () => "",
      (error: Error) => error.message,
    );

  it("reads a link to a regular file, and reports a link to text that is not JSON by position, without quoting it", async () => {
    await writeFile(join(dir, "real.txt"), JSON.stringify(flow));
    await symlink(join(dir, "real.txt"), join(dir, "linked.json"));
    expect((await loadFlowsFromDir(dir)).map((f) => f.slug)).toEqual(["s"]);
    await writeFile(join(dir, "secret.txt"), SECRET);
    await symlink(join(dir, "secret.txt"), join(dir, "shadow.json"));
    const message = await problemsOf();
    expect(message).toContain(`${join(dir, "shadow.json")}: /: not valid JSON at line 1, column 1`);
    for (const piece of ["root", "secret", "hash", "19000"]) expect(message).not.toContain(piece);
  });

  it.skipIf(process.platform === "win32")("refuses a FIFO, a link to a FIFO, a device link and a directory named *.json, without blocking", async () => {
    execFileSync("mkfifo", [join(dir, "pipe.json")]);
    await symlink(join(dir, "pipe.json"), join(dir, "to-pipe.json"));
    await symlink("/dev/zero", join(dir, "zero.json"));
    await mkdir(join(dir, "folder.json"));
    const started = Date.now();
    const message = await problemsOf();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(message).toContain(`${join(dir, "pipe.json")}: /: not a regular file but a FIFO (named pipe)`);
    expect(message).toContain(`${join(dir, "to-pipe.json")}: /: not a regular file but a FIFO (named pipe)`);
    expect(message).toContain(`${join(dir, "zero.json")}: /: not a regular file but a device`);
    expect(message).toContain(`${join(dir, "folder.json")}: /: not a regular file but a directory`);
  });

  it("refuses a file over the size limit unread, and a dangling link", async () => {
    await writeFile(join(dir, "huge.json"), "");
    await truncate(join(dir, "huge.json"), 64 * 1024 * 1024);
    await symlink(join(dir, "nowhere"), join(dir, "dangling.json"));
    const message = await problemsOf();
    expect(message).toContain(`${join(dir, "huge.json")}: /: the file is 67108864 bytes; a flow file may be at most 4194304 bytes`);
    expect(message).toContain(`${join(dir, "dangling.json")}: /: cannot open the file (ENOENT)`);
  });

  it("refuses JSON nested deeper than 256 levels with a problem line, not a stack overflow", async () => {
    await writeFile(join(dir, "deep.json"), `{"org":"o","project":"p","slug":"s","draft":{"steps":[{"id":"a","template":${"[".repeat(100_000)}${"]".repeat(100_000)}}]}}`);
    expect(await problemsOf()).toBe(`${join(dir, "deep.json")}: /: nested more than 256 levels deep`);
  });

  it.skipIf(process.platform === "win32")("lets noukai dev be stopped while it starts, and never hangs on a FIFO", async () => {
    execFileSync("mkfifo", [join(dir, "pipe.json")]);
    const t = testIo();
    const exit = main(["dev", "--port", "0", "--flows", dir], t.io);
    await expect(exit).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining("FIFO") as string });
    const stopped = testIo();
    stopped.stop("SIGINT");
    await expect(main(["dev", "--port", "0", "--flows", dir], stopped.io)).rejects.toMatchObject({ exitCode: 130 });
  });
});
