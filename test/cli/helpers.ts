import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMain } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";

export const KEY = "nk_cli_test_key";

export interface IoOptions {
  isTTY?: boolean;
  env?: Record<string, string>;
  /** What standard input holds (a pipe); `secret` answers a prompt on a terminal instead. */
  stdin?: string;
  secret?: string;
  /** Colour as on a real terminal; off by default, so that expected lines read plainly. */
  color?: boolean;
  /** Sees each stdout line as it is written; `stop` is the user's Ctrl-C. */
  onStdout?: (line: string, stop: (signal?: string) => void) => void;
}

/**
 * No test reads the user's own login: the stored keys live in a folder of
 * its own (absent unless a test writes it).
 */
const BASE_ENV = { NOUKAI_CONFIG_DIR: join(tmpdir(), `noukai-cli-test-config-${process.pid}`) };

/** An injected terminal or pipe: what the user would see, and a Ctrl-C to press. */
export function testIo(options: IoOptions = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const stop = (signal = "SIGINT") => controller.abort(signal);
  const io: CliIo = {
    stdout: (text) => {
      out.push(text);
      options.onStdout?.(text, stop);
    },
    stderr: (text) => err.push(text),
    isTTY: options.isTTY ?? false,
    env: { ...BASE_ENV, ...(options.color === true ? {} : { NO_COLOR: "1" }), ...options.env },
    signal: controller.signal,
    input: {
      isTTY: options.secret !== undefined,
      readAll: () => Promise.resolve(options.stdin ?? ""),
      readSecret: (prompt) => {
        err.push(prompt);
        return Promise.resolve(options.secret ?? "");
      },
    },
  };
  return { io, out, err, stop };
}

export interface CliResult {
  code: number;
  /** Everything written to stdout, one entry per write (a write may hold several lines). */
  out: string[];
  err: string[];
  stdout: string;
  stderr: string;
}

/** Runs the command line as the bin does (errors printed, exit code returned). */
export function cli(argv: string[], options: IoOptions = {}): Promise<CliResult> {
  return startCli(argv, options).done;
}

/** The same, with the Ctrl-C at hand while it runs. */
export function startCli(argv: string[], options: IoOptions = {}): { done: Promise<CliResult>; stop: (signal?: string) => void } {
  const t = testIo(options);
  const done = runMain(argv, t.io).then((code) => ({ code, out: t.out, err: t.err, stdout: t.out.join("\n"), stderr: t.err.join("\n") }));
  return { done, stop: t.stop };
}

/** Flags that point a command at a test server. */
export const at = (baseUrl: string, key = KEY) => ["--base-url", baseUrl, "--api-key", key];
