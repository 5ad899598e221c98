/**
 * What the user gives that cannot work (a wait no timer holds, a file that
 * cannot be written, an output that refuses bytes, a parameter named like an
 * object's internals) is told in one line naming it, with a defined exit
 * code, before any request where it can be; nothing is lost or left behind.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingServer } from "../helpers/recording-server.js";
import { SESSION } from "./responders/odd-answers.js";
import { at, cli, KEY } from "./helpers.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
let server: RecordingServer;
let folder: string;
beforeAll(async () => {
  server = await RecordingServer.start(new URL("./responders/odd-answers.ts", import.meta.url));
  folder = await mkdtemp(join(tmpdir(), "noukai-bad-args-"));
});
afterAll(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

describe("noukai, given what cannot work", () => {
  it("refuses a --timeout or --poll-interval longer than a timer holds, naming the flag and its maximum, before any request", async () => {
    await server.respond("refuse");
    for (const args of [
      ["run", "o/p/s", "-m", "x", "--timeout", "9999999"],
      ["job", "wait", "o/p/s", "exec-1", "--poll-interval", "9999999"],
      ["flows", "--timeout", "2147484"],
    ]) {
      const refused = await cli([...args, ...at(server.baseUrl)]);
      const flag = args.find((word) => word.startsWith("--")) ?? "";
      expect(refused).toMatchObject({ code: 2, err: [`noukai: ${flag} must be at most 2147483.647 seconds (about 24 days), got ${JSON.stringify(args.at(-1))}`] });
    }
    expect(await server.requests()).toEqual([]);
  });

  it("checks sessions pull's -o file before fetching: a folder, a path under a file, or no name is one line, exit 2", async () => {
    const aFile = join(folder, "a-file");
    await writeFile(aFile, "");
    await server.respond("oddSession");
    for (const [path, said] of [
      [folder, `-o ${folder} cannot be written: it is a folder`],
      [join(aFile, "session.json"), `-o ${join(aFile, "session.json")} cannot be written: `],
      ["", "-o needs a file name"],
    ] as const) {
      const pulled = await cli(["sessions", "pull", SESSION, "-o", path, ...at(server.baseUrl)]);
      expect(pulled.code).toBe(2);
      expect(pulled.err).toHaveLength(1);
      expect(pulled.err[0]).toContain(`noukai: ${said}`);
    }
    expect(await server.requests()).toEqual([]);
    const written = await cli(["sessions", "pull", SESSION, "-o", join(folder, "new", "session.json"), ...at(server.baseUrl)]);
    expect(written.code).toBe(0);
  });

  it("keeps a parameter named __proto__ as a parameter, given as text or as JSON", async () => {
    await server.respond("refuse");
    await cli(["run", "o/p/s", "-m", "x", "--version", "draft", "--param", "__proto__=x", ...at(server.baseUrl)]);
    await cli(["run", "o/p/s", "-m", "x", "--version", "draft", "--param", '__proto__:={"a":1}', ...at(server.baseUrl)]);
    const bodies = (await server.requests()).map((request) => request.body);
    expect(bodies.map((body) => body.match(/"parameters":(\{.*?\}\}?)/)?.[1])).toEqual(['{"__proto__":"x"}', '{"__proto__":{"a":1}}']);
  });

  it("names the credentials file login and logout cannot write, and leaves no temporary file holding the key", async () => {
    const config = join(folder, "config");
    await mkdir(join(config, "credentials.json"), { recursive: true });
    const env = { NOUKAI_CONFIG_DIR: config };
    const file = join(config, "credentials.json");
    for (let attempt = 0; attempt < 2; attempt++) {
      const login = await cli(["login", "--base-url", server.baseUrl], { env, stdin: `${KEY}\n` });
      expect(login.code).toBe(1);
      expect(login.err).toHaveLength(1);
      expect(login.err[0]).toMatch(new RegExp(`^noukai: cannot write the stored keys to ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} \\(E[A-Z]+\\)`));
    }
    const logout = await cli(["logout", "--base-url", server.baseUrl], { env });
    expect(logout).toMatchObject({ code: 1, err: [expect.stringContaining(`noukai: cannot write the stored keys to ${file} (`)] });
    expect(await readdir(config)).toEqual(["credentials.json"]);
  });

  it("says a piped key of two lines is two lines", async () => {
    const login = await cli(["login", "--base-url", server.baseUrl], { stdin: `${KEY}\nnk_other\n` });
    expect(login).toMatchObject({ code: 2, err: ["noukai: the key given holds more than one line: give one key, on one line"] });
  });

  it("ends with one line and exit 1 when standard output cannot be written (a full device)", async () => {
    // stdout is the full device; stderr stays a pipe the test reads.
    const full = openSync("/dev/full", "w");
    try {
      const child = spawn(process.execPath, [CLI, "--help"], { stdio: ["ignore", full, "pipe"] });
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      const [code] = (await once(child, "close")) as [number | null];
      expect({ code, stderr }).toEqual({ code: 1, stderr: "noukai: cannot write to standard output: ENOSPC\n" });
    } finally {
      closeSync(full);
    }
  });
});
