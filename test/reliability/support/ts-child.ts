import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const TS_ENTRY = fileURLToPath(new URL("./ts-entry.mjs", import.meta.url));
const MAX_OUTPUT_CHARS = 20_000;

/**
 * A TypeScript module of the suites run as a child process with a message
 * channel, `--expose-gc` (so it can measure what it keeps), and `noukai`
 * resolved to the build. Its output is kept (the end of it) for reports.
 */
export class TsChild<In, Out> {
  private readonly child: ChildProcess;
  private output = "";
  /** Resolves when the process has exited, with when that was. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  constructor(module: URL, args: readonly string[] = [], nodeOptions: readonly string[] = []) {
    this.child = fork(TS_ENTRY, [fileURLToPath(module), ...args], {
      execArgv: ["--expose-gc", ...nodeOptions],
      serialization: "advanced",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString("utf8")).slice(-MAX_OUTPUT_CHARS);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What the process wrote to stdout and stderr (the last 20,000 characters). */
  get log(): string {
    return this.output;
  }

  send(message: In): void {
    this.child.send(message as object);
  }

  onMessage(listener: (message: Out) => void): void {
    this.child.on("message", (message) => listener(message as Out));
  }

  /** The next message that matches, or a rejection if the process exits first or `timeoutMs` passes. */
  next<T extends Out>(match: (message: Out) => message is T, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`no answer from the child process in ${timeoutMs} ms\n${this.output}`)), timeoutMs);
      const onMessage = (message: unknown): void => {
        if (!match(message as Out)) return;
        cleanup();
        resolve(message as T);
      };
      const onExit = (code: number | null): void => fail(new Error(`the child process exited (code ${code}) before answering\n${this.output}`));
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
      };
      const fail = (error: Error): void => {
        cleanup();
        reject(error);
      };
      this.child.on("message", onMessage);
      this.child.once("exit", onExit);
    });
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }
}
