import type { FlowDefinition, RequestLogEntry } from "../server/index.js";
import { describeFlows } from "./flow-list.js";
import { jsonLine } from "./format.js";
import type { CliIo } from "./io.js";
import { requestLine } from "./request-log.js";
import type { Style } from "./style.js";

/**
 * What `noukai dev` says while it runs, for a person (lines, colour,
 * problems on stderr) or, with `--json`, for a program: one JSON record a
 * line on stdout (`listening`, `request`, `reload`, `reload_failed`,
 * `stopping`), so a script can wait for the server and follow its log.
 */
export interface DevOutput {
  listening(baseUrl: string, flows: readonly FlowDefinition[], watchedDir: string | undefined, dataDir: string | undefined): void;
  request(entry: RequestLogEntry): void;
  reloaded(changes: readonly string[]): void;
  reloadFailed(problems: string): void;
  stopping(signal: string, graceMs: number): void;
}

export function devOutput(io: CliIo, style: Style, json: boolean): DevOutput {
  return json ? jsonOutput(io) : textOutput(io, style);
}

function textOutput(io: CliIo, style: Style): DevOutput {
  return {
    listening(baseUrl, flows, watchedDir, dataDir) {
      io.stdout(`Noukai local server listening on ${baseUrl}`);
      if (dataDir !== undefined) io.stdout(`State kept in ${dataDir} (executions, jobs, sessions, idempotency records)`);
      io.stdout("Flows:");
      for (const line of describeFlows(flows)) io.stdout(`  ${line}`);
      if (watchedDir !== undefined) io.stdout(`Watching ${watchedDir} for changes to its flow files.`);
      io.stdout("Press Ctrl+C to stop.");
    },
    request: (entry) => io.stdout(requestLine(entry, style)),
    reloaded(changes) {
      io.stdout(`${style.green("Flows reloaded")}${changes.length === 0 ? ": no change" : ":"}`);
      for (const line of changes) io.stdout(`  ${line}`);
    },
    reloadFailed(problems) {
      io.stderr(`${style.red("flow files not reloaded")}; still serving the last good ones:`);
      for (const line of problems.split("\n")) io.stderr(`  ${line}`);
    },
    stopping: (signal, graceMs) => io.stdout(`Stopping (${signal}): calls in flight get up to ${graceMs / 1000} s to finish; press Ctrl+C again to stop at once…`),
  };
}

function jsonOutput(io: CliIo): DevOutput {
  const record = (type: string, fields: Record<string, unknown>) => io.stdout(jsonLine({ type, ...fields }));
  return {
    listening: (baseUrl, flows, watchedDir, dataDir) =>
      record("listening", { baseUrl, flows: flows.map((flow) => `${flow.org}/${flow.project}/${flow.slug}`), watching: watchedDir ?? null, dataDir: dataDir ?? null }),
    request: (entry) => record("request", { ...entry, durationMs: Math.round(entry.durationMs) }),
    reloaded: (changes) => record("reload", { changes }),
    reloadFailed: (problems) => record("reload_failed", { problems: problems.split("\n") }),
    stopping: (signal, graceMs) => record("stopping", { signal, graceMs }),
  };
}
