import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import pkg from "../../package.json" with { type: "json" };
import { devCommand } from "./commands/dev.js";
import { CliError, usageError } from "./errors.js";
import { processIo, type CliIo } from "./io.js";

const HELP = `Usage: noukai <command> [options]

Commands:
  dev        run the local Noukai server (noukai dev --help)

Options:
  -h, --help     show this help
  -v, --version  show the version`;

/** Runs the command line; returns the exit code or throws a CliError. Prints nothing on failure itself. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "-h":
    case "--help":
    case "help":
      io.stdout(HELP);
      return command === undefined ? 2 : 0;
    case "-v":
    case "--version":
      io.stdout(pkg.version);
      return 0;
    case "dev":
      return devCommand(rest, io);
    default:
      throw usageError(`unknown command ${JSON.stringify(command)}\n\n${HELP}`);
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
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CliError) {
        process.stderr.write(`noukai: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(`noukai: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
