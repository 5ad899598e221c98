import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { RuntimeReport } from "./checks.js";
import type { Consumer } from "./consumer.js";

/** What a runtime needs to run the checks. */
export interface Target {
  /** The local server's API root. */
  baseUrl: string;
  port: number;
  consumer: Consumer;
  /** The origin of the page Chromium loads (the local server allows it). */
  pageOrigin: string;
}

export interface RuntimeRun {
  /** The version, as the README's table shows it. */
  version: string;
  report: RuntimeReport;
}

/** One runtime of the matrix. */
export interface Runtime {
  name: string;
  /** How the runtime loads `noukai`, for the README's table (Markdown). */
  loads: string;
  /** Runs the checks in a real process of the runtime; throws, saying how to install it, when it is missing. */
  run(target: Target): Promise<RuntimeRun>;
}

/** Fails with what is missing and how to get it, so a machine without the runtime fails loudly instead of skipping. */
export function requireFile(path: string, what: string, howToInstall: string): string {
  if (!existsSync(path)) throw new Error(`${what} is not installed: ${path} is missing. ${howToInstall}`);
  return path;
}

// A developer's NOUKAI_* settings must not change what the checks see.
const childEnv = (extra: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("NOUKAI_"))),
  NO_COLOR: "1",
  ...extra,
});

/** Runs a command to its end and returns its stdout; fails with its stderr when it exits badly or outlasts `timeoutMs`. */
export function runProcess(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: childEnv(options.env ?? {}), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const limit = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => child.kill("SIGKILL"), limit);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(" ")} ended with ${signal ?? `code ${code}`}${signal === "SIGKILL" ? ` (killed after ${limit} ms)` : ""}\nstderr: ${stderr.slice(-2_000)}\nstdout: ${stdout.slice(-2_000)}`));
    });
  });
}

/** The report a runtime printed: the last line of its output that is JSON. */
export function parseReport(output: string, expectedRuntime: RegExp): RuntimeReport {
  const line = output.trim().split("\n").at(-1) ?? "";
  let report: RuntimeReport;
  try {
    report = JSON.parse(line) as RuntimeReport;
  } catch {
    throw new Error(`the runtime printed no JSON report; its output ends with: ${output.slice(-2_000)}`);
  }
  if (!expectedRuntime.test(report.runtime)) throw new Error(`the checks ran in "${report.runtime}", not in ${String(expectedRuntime)}`);
  return report;
}
