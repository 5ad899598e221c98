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
  /** Aborts when the user asks the command to stop (Ctrl-C, SIGTERM); its reason is the signal's name. */
  signal: AbortSignal;
}

/** The real process. A first SIGINT or SIGTERM aborts `signal`; a second one gets Node's default (the process ends). */
export function processIo(): CliIo {
  const stop = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stop.abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stdout: (text) => void process.stdout.write(`${text}\n`),
    stderr: (text) => void process.stderr.write(`${text}\n`),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    signal: stop.signal,
  };
}

/** Resolves with the signal's name once the user asks to stop. */
export function untilStopped(signal: AbortSignal): Promise<string> {
  const reason = () => (typeof signal.reason === "string" ? signal.reason : "stop");
  if (signal.aborted) return Promise.resolve(reason());
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(reason()), { once: true }));
}
