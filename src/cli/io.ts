import { EXIT } from "./errors.js";

/**
 * Everything a command may touch outside itself. The bin passes the real
 * process; tests pass their own, so no command needs a subprocess to test.
 */
export interface CliIo {
  /** Writes one line to standard output. */
  stdout(text: string): void;
  /** Writes one line to standard error. */
  stderr(text: string): void;
  /** Whether standard output is a terminal: progress lines there, plain results in pipes. */
  isTTY: boolean;
  /** The environment the command reads (`NOUKAI_API_KEY`, `NOUKAI_ENV`, `NOUKAI_BASE_URL`). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Aborts when the command should stop: the user asked (Ctrl-C, SIGTERM), or
   * whoever read standard output went away (EPIPE, as in `noukai events … | head -1`).
   * Its reason says which: "SIGINT", "SIGTERM", "EPIPE", or "EOUTPUT" (writing failed otherwise, already told on stderr).
   */
  signal: AbortSignal;
  /**
   * Standard error when it is a terminal: where a spinner may draw (and
   * redraw) its line. Absent in a pipe, and in tests that draw nothing.
   */
  terminal?: SpinnerStream;
  /** Standard input: all of it, or one line typed without echo on a terminal (`noukai login`). */
  input?: { isTTY: boolean; readAll(): Promise<string>; readSecret(prompt: string): Promise<string> };
}

/** What a spinner needs of a terminal stream (a `tty.WriteStream` has it). */
export interface SpinnerStream {
  readonly isTTY: boolean;
  readonly columns: number;
  write(text: string): boolean;
  cursorTo(x: number): boolean;
  moveCursor(dx: number, dy: number): boolean;
  clearLine(dir: -1 | 0 | 1): boolean;
}

/**
 * The real process. A first SIGINT or SIGTERM aborts `signal`; a second one
 * gets Node's default (the process ends). A closed stdout aborts it too, and
 * later writes are dropped instead of crashing the process. Any other
 * failure to write (a full disk, a device that refuses) is told in one line
 * on stderr, stops the command (reason "EOUTPUT") and makes the exit code 1,
 * even when the command had already ended; a failing stderr is then quiet,
 * with the same exit code.
 */
export function processIo(): CliIo & { outputFailed(): boolean } {
  const stop = new AbortController();
  let stdoutClosed = false;
  let stderrClosed = false;
  let failed = false;
  const fail = () => {
    failed = true;
    process.exitCode = EXIT.failure;
    stop.abort("EOUTPUT");
  };
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code === "EPIPE") {
      stop.abort("EPIPE");
      return;
    }
    if (!stderrClosed) process.stderr.write(`noukai: cannot write to standard output: ${error.code ?? error.message}\n`);
    fail();
  });
  process.stderr.on("error", () => {
    stderrClosed = true;
    fail();
  });
  const onSignal = (name: NodeJS.Signals) => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stop.abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(`${text}\n`);
    },
    stderr: (text) => {
      if (!stderrClosed) process.stderr.write(`${text}\n`);
    },
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    signal: stop.signal,
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
    input: {
      isTTY: process.stdin.isTTY === true,
      readAll: () => readAll(process.stdin),
      readSecret: (prompt) => readSecret(prompt, stop.signal),
    },
    outputFailed: () => failed,
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  return text;
}

/** One line from the terminal, not echoed: a key typed or pasted must not stay on the screen. */
async function readSecret(prompt: string, signal: AbortSignal): Promise<string> {
  const { createInterface } = await import("node:readline");
  // The terminal stops echoing when the interface is made (raw mode): only then is the prompt shown, so a key pasted
  // the moment it appears is not echoed either.
  const lines = createInterface({ input: process.stdin, terminal: true, output: undefined });
  process.stderr.write(prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      lines.once("close", () => resolve(""));
      signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true });
    });
  } finally {
    lines.close();
    process.stderr.write("\n");
  }
}

/** Resolves with the signal's name once the user asks to stop. */
export function untilStopped(signal: AbortSignal): Promise<string> {
  const reason = () => (typeof signal.reason === "string" ? signal.reason : "stop");
  if (signal.aborted) return Promise.resolve(reason());
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(reason()), { once: true }));
}
