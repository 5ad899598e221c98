import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { KEY } from "./helpers.js";

/**
 * Terminal recordings: the built `noukai` run under a real pseudo-terminal
 * (util-linux `script`, in every Debian), and the same command in a pipe.
 * What a person sees (the spinner with the running step and its time, a ✓
 * line per step, colour) must appear on the terminal only; a pipe gets the
 * result alone. Run on the built bin (`npm test` builds first).
 */
const run = promisify(execFile);
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const local = useLocalServer();

/** The environment of a person's terminal: none of CI's or the test runner's colour settings. */
function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env["PATH"], HOME: process.env["HOME"], TERM: "xterm-256color", NOUKAI_CONFIG_DIR: "/nonexistent-noukai-config", ...extra };
  return env;
}

const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;

/** Everything the terminal received, standard output and error interleaved as on a screen; `script -e` exits as the command did. */
async function onTerminal(args: string[], env = terminalEnv()): Promise<string> {
  return (await recorded(args, env)).screen;
}

async function recorded(args: string[], env = terminalEnv()): Promise<{ screen: string; code: number }> {
  const command = [process.execPath, CLI, ...args].map(quote).join(" ");
  try {
    const { stdout } = await run("script", ["-qfec", command, "/dev/null"], { env, timeout: 30_000 });
    return { screen: stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; code?: number };
    if (typeof failed.code !== "number") throw error;
    return { screen: failed.stdout ?? "", code: failed.code };
  }
}

/**
 * The lines left on the screen once the spinner is done: a spinner redraws
 * its line by going to column 1 and erasing it (ESC[1G ESC[0K), so what
 * stays of a line is what follows its last erase.
 */
function screenLines(recording: string): string[] {
  return recording.split(/\r?\n/).map((line) => plain(line.split("\x1b[1G\x1b[0K").at(-1) ?? "").trimEnd());
}

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const SGR_COLOUR = /\x1b\[(3\d|9\d|2|22|39)m/;
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");

describe("noukai on a terminal and in a pipe", () => {
  const slow = () => ["run", "examples/demo/slow", "-m", "hi", "--base-url", local.baseUrl, "--api-key", KEY];

  it("shows the run's id, a spinner with the running step and its elapsed time, and a line per step on a terminal", async () => {
    const screen = await onTerminal(slow());
    expect(screen).toMatch(SPINNER);
    for (const step of ["1. First", "2. Second", "3. Third"]) {
      // The spinner's line: a frame, the step, the time it has run so far.
      expect(screen).toMatch(new RegExp(`${SPINNER.source}\\x1b\\[39m ${step.replace(".", "\\.")} \\x1b\\[2m\\d+\\.\\d s`));
    }
    expect(screenLines(screen)).toEqual([
      expect.stringMatching(/^run [0-9a-f-]{36} started \(3 steps\)$/),
      expect.stringMatching(/^✓ 1\. First {11}300 ms {4}\d+ tokens {2}\$0\.\d+$/),
      expect.stringMatching(/^✓ 2\. Second {10}300 ms {4}\d+ tokens {2}\$0\.\d+$/),
      expect.stringMatching(/^✓ 3\. Third {11}300 ms {3}\d+ tokens {2}\$0\.\d+$/),
      "third: second: first: hi",
      "",
    ]);
    // The ✓ is green; the cursor, hidden while the spinner turns, is shown again.
    expect(screen).toContain("\x1b[32m✓\x1b[39m 1. First");
    expect(screen.lastIndexOf("\x1b[?25h")).toBeGreaterThan(screen.lastIndexOf("\x1b[?25l"));
  });

  it("prints only the result in a pipe: no spinner, no step lines, no colour, nothing on stderr", async () => {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...slow()], { env: terminalEnv() });
    expect(stdout).toBe("third: second: first: hi\n");
    expect(stderr).toBe("");
  });

  it("keeps the spinner but drops colour with --no-color or NO_COLOR", async () => {
    for (const screen of [await onTerminal([...slow(), "--no-color"]), await onTerminal(slow(), terminalEnv({ NO_COLOR: "1" }))]) {
      expect(screen).toMatch(SPINNER);
      expect(screen).toMatch(/1\. First \d+\.\d s/);
      expect(screen).not.toMatch(SGR_COLOUR);
    }
  });

  it("draws no spinner in CI, where the log is a file", async () => {
    const screen = await onTerminal(slow(), terminalEnv({ CI: "true" }));
    expect(screen).not.toMatch(SPINNER);
    expect(screenLines(screen)).toContainEqual(expect.stringMatching(/^✓ 3\. Third /));
  });

  it("says where a failure is on a terminal, with the same one line and exit code as in a pipe", async () => {
    const args = ["run", "examples/demo/broken", "-m", "x", "--base-url", local.baseUrl, "--api-key", KEY];
    const tty = await recorded(args);
    expect(tty.code).toBe(6);
    const lines = screenLines(tty.screen);
    expect(lines).toContainEqual(expect.stringMatching(/^✗ Explode failed: MODEL_ERROR: /));
    const failure = lines.find((line) => line.startsWith("noukai: "));
    const piped = await run(process.execPath, [CLI, ...args]).catch((error: { code: number; stderr: string }) => error);
    expect(piped).toMatchObject({ code: 6, stdout: "" });
    expect(failure?.replace(/req_\w+|[0-9a-f-]{36}/g, "…")).toBe((piped as { stderr: string }).stderr.trim().replace(/req_\w+|[0-9a-f-]{36}/g, "…"));
  });

  it("asks for the key of noukai login on a terminal without echoing it", async () => {
    const config = await mkdtemp(join(tmpdir(), "noukai-login-tty-"));
    try {
      const command = [process.execPath, CLI, "login", "--base-url", local.baseUrl].map(quote).join(" ");
      const child = spawn("script", ["-qfec", command, "/dev/null"], { env: terminalEnv({ NOUKAI_CONFIG_DIR: config }), stdio: ["pipe", "pipe", "inherit"] });
      let screen = "";
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.stdout.on("data", (chunk: Buffer) => {
        screen += chunk.toString();
        // Typed once the prompt is up (the terminal no longer echoes by then), as a person would.
        if (screen.includes("(not shown): ") && !child.stdin.writableEnded) child.stdin.end(`${KEY}\r`);
      });
      expect(await exited).toBe(0);
      expect(screen).toContain(`API key for ${local.baseUrl} (not shown): `);
      expect(screen).toContain("stored the key for");
      expect(screen).not.toContain(KEY);
      expect(JSON.parse(await readFile(join(config, "credentials.json"), "utf8"))).toEqual({ keys: { [local.baseUrl]: KEY } });
    } finally {
      await rm(config, { recursive: true, force: true });
    }
  });

  it("stops on Ctrl-C while a step runs: the spinner's line goes, the cursor comes back, exit 130", async () => {
    const command = [process.execPath, CLI, ...slow()].map(quote).join(" ");
    const child = spawn("script", ["-qfec", command, "/dev/null"], { env: terminalEnv(), stdio: ["pipe", "pipe", "inherit"] });
    let screen = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.stdout.on("data", (chunk: Buffer) => {
      screen += chunk.toString();
      // Ctrl-C as typed, once the first step is under way: the terminal turns it into SIGINT.
      if (/2\. Second/.test(screen) && !child.stdin.writableEnded) child.stdin.end("\x03");
    });
    expect(await exited).toBe(130);
    expect(screenLines(screen).filter((line) => line !== "")).toEqual([
      expect.stringMatching(/^run [0-9a-f-]{36} started \(3 steps\)$/),
      expect.stringMatching(/^✓ 1\. First /),
      expect.stringMatching(/(\^C)?noukai: cancelled \(SIGINT\)$/),
    ]);
    expect(screen.lastIndexOf("\x1b[?25h")).toBeGreaterThan(screen.lastIndexOf("\x1b[?25l"));
  });
});
