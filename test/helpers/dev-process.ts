import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** `noukai dev` as a user runs it: the built command line in a process of its own, so a test can kill it. */
export interface DevProcess {
  /** `http://127.0.0.1:PORT/api/v1` */
  baseUrl: string;
  /** Everything it printed so far. */
  output(): string;
  /** Sends the signal and resolves once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `noukai dev --port 0 --host 127.0.0.1 ARGS…` and resolves once it listens. */
export async function startDev(args: readonly string[]): Promise<DevProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI, "dev", "--port", "0", "--host", "127.0.0.1", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`noukai dev did not start in 15 s:\n${output}`)), 15_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`noukai dev exited before it listened:\n${output}`));
    });
  });
  return {
    baseUrl,
    output: () => output,
    stop: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs `noukai dev ARGS…` expecting it to refuse to start: its exit code and what it printed. */
export function refusedDev(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI, "dev", "--port", "0", "--host", "127.0.0.1", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}
