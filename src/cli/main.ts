import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import pkg from "../../package.json" with { type: "json" };
import { cliErrorFrom } from "./api-errors.js";
import { completionCommand } from "./commands/completion.js";
import { DEV_OPTIONS, devCommand } from "./commands/dev.js";
import { EVENTS_OPTIONS, eventsCommand } from "./commands/events.js";
import { FLOWS_OPTIONS, flowsCommand } from "./commands/flows.js";
import { JOB_OPTIONS, jobCommand } from "./commands/job.js";
import { LOGIN_OPTIONS, LOGOUT_OPTIONS, loginCommand, logoutCommand } from "./commands/login.js";
import { RUN_OPTIONS, runCommand } from "./commands/run.js";
import { SESSIONS_OPTIONS, sessionsCommand } from "./commands/sessions.js";
import { TRACE_OPTIONS, traceCommand } from "./commands/trace.js";
import type { CompletionSpec } from "./completion.js";
import { CONNECTION_HELP } from "./connection.js";
import { CliError, EXIT, usageError } from "./errors.js";
import { splitLeadingGlobals } from "./global-flags.js";
import { COMMON_OPTIONS } from "./parse.js";
import { processIo, type CliIo } from "./io.js";
import { shownSafely } from "./terminal-output.js";
import { visibleLines } from "./visible.js";
import { didYouMean } from "./suggest.js";
import { targetOf } from "./target.js";

const HELP = `Usage: noukai <command> [options]

Commands:
  run <flow>                 run a flow and print its result (a line per step on a terminal)
  events <flow>              run a flow step by step, every event as NDJSON
  job submit <flow>          queue a run and print its execution id
  job status <flow> <id>     where a queued run is
  job wait <flow> <id>       wait for a queued run and print its result
  trace <flow> <id>          a run's steps: duration, model, tokens, cost (--live follows it)
  sessions pull <id>         a captured session as a cassette, to replay offline
  sessions show <id>         a captured session's runs and steps
  flows                      the flows a local server serves
  dev                        run the local Noukai server (a line per request; flow files reloaded)
  login / logout             store (or forget) an API key for a server, readable by you only
  completion bash|zsh|fish   a shell completion script

<flow> is org/project/slug, e.g. examples/demo/hello. Each command has --help.

Options:
  -h, --help                 show this help
  -v, --version              show the version
  --no-color                 no colour (also NO_COLOR); colour is for terminals only
  --debug                    print each HTTP exchange on stderr, the key redacted

${CONNECTION_HELP}

Exit codes: 0 ok, 1 other failure, 2 usage, 3 authentication or permission,
4 not found, 5 rate limited, 6 refused or failed by the service,
7 connection or timeout, 130 cancelled (Ctrl-C), 141 output closed.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  events: eventsCommand,
  job: jobCommand,
  trace: traceCommand,
  sessions: sessionsCommand,
  flows: flowsCommand,
  login: loginCommand,
  logout: logoutCommand,
  completion: (args, io) => completionCommand(args, io, COMPLETION_SPECS),
};

type Options = Record<string, { type: "string" | "boolean"; short?: string }>;

/** `--name` (and `-x`) for each flag, `=` after those that take a value: what completion offers. */
function flagsOf(options: Options): string[] {
  const all: Options = { ...COMMON_OPTIONS, ...options };
  return Object.entries(all).flatMap(([name, option]) => {
    const value = option.type === "string" ? "=" : "";
    return [`--${name}${value}`, ...(option.short === undefined ? [] : [`-${option.short}${value}`])];
  });
}

const COMPLETION_SPECS: CompletionSpec[] = [
  { name: "run", summary: "run a flow and print its result", flags: flagsOf(RUN_OPTIONS) },
  { name: "events", summary: "run a flow, every event as NDJSON", flags: flagsOf(EVENTS_OPTIONS) },
  { name: "job", summary: "queue a run, see where it is, wait for it", actions: ["submit", "status", "wait"], flags: flagsOf(JOB_OPTIONS) },
  { name: "trace", summary: "a run's steps, or follow it live", flags: flagsOf(TRACE_OPTIONS) },
  { name: "sessions", summary: "pull or show a captured session", actions: ["pull", "show"], flags: flagsOf(SESSIONS_OPTIONS) },
  { name: "flows", summary: "the flows a local server serves", flags: flagsOf(FLOWS_OPTIONS) },
  { name: "dev", summary: "run the local Noukai server", flags: flagsOf(DEV_OPTIONS) },
  { name: "login", summary: "store an API key for a server", flags: flagsOf(LOGIN_OPTIONS) },
  { name: "logout", summary: "forget a stored API key", flags: flagsOf(LOGOUT_OPTIONS) },
  { name: "completion", summary: "a shell completion script", actions: ["bash", "zsh", "fish"], flags: flagsOf({}) },
];

/** The flags that name a server to call: before `dev`, they would be misread as the server's own. */
const CLIENT_FLAGS = ["--dev", "--base-url", "--api-key", "--timeout"];
const COMMAND_NAMES = [...Object.keys(COMMANDS), "dev", "help"];
const GLOBAL_NAMES = ["--help", "--version", "--dev", "--base-url", "--api-key", "--timeout", "--no-color", "--debug"];

/**
 * Runs the command line: returns the exit code or throws a CliError (one line
 * for the user, and its exit code). Prints nothing on failure itself.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    // The target (where the failed call went) lets the message name the host and suggest the fix.
    throw cliErrorFrom(error, io.signal, targetOf(io));
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const { globals, command, rest } = splitLeadingGlobals(argv);
  switch (command) {
    case undefined:
    case "-h":
    case "--help":
    case "help": {
      // `noukai help run` is `noukai run --help`.
      const topic = command === "help" ? rest[0] : undefined;
      if (topic === "dev") return devCommand(["--help"], io);
      const helpOf = topic !== undefined && Object.hasOwn(COMMANDS, topic) ? COMMANDS[topic] : undefined;
      if (helpOf !== undefined) return helpOf(["--help"], io);
      io.stdout(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    case "-v":
    case "--version":
      io.stdout(pkg.version);
      return EXIT.ok;
    case "dev":
      // The server's own --api-key means "keys to accept": a client flag before `dev` would be misread.
      {
        const clientFlag = globals.find((token) => CLIENT_FLAGS.includes(token.split("=", 1)[0] ?? token));
        if (clientFlag !== undefined) throw usageError(`${clientFlag.split("=", 1)[0] ?? clientFlag} is a client flag; noukai dev takes its own (see noukai dev --help)`);
      }
      return devCommand([...globals, ...rest], io);
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    const what = command.startsWith("-") ? "flag" : "command";
    throw usageError(`unknown ${what} ${command}${didYouMean(command, command.startsWith("-") ? GLOBAL_NAMES : COMMAND_NAMES)} (see noukai --help)`);
  }
  return run([...globals, ...rest], io);
}

/** `main`, with its failure printed as one line on stderr; resolves with the exit code. */
export async function runMain(argv: string[], given: CliIo): Promise<number> {
  const io = shownSafely(given);
  try {
    return await main(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      // What a server said may be in it: all its control characters are shown, not obeyed, a colour too.
      if (error.message !== "") io.stderr(`noukai: ${visibleLines(error.message)}`);
      return error.exitCode;
    }
    io.stderr(`noukai: unexpected error: ${visibleLines(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
    return EXIT.failure;
  }
}

export { CliError };

// The one exit point: only when run as the `noukai` bin.
function isBin(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isBin()) {
  const io = processIo();
  void runMain(process.argv.slice(2), io).then((code) => {
    // A failed write may be told after the command ended: its exit code stands.
    process.exitCode = io.outputFailed() ? EXIT.failure : code;
  });
}
