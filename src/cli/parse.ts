import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./errors.js";
import type { CliIo } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/**
 * Parses a command's flags strictly. Returns `undefined` when `--help` was
 * asked for (and printed), so every command answers `--help` the same way.
 */
export function parseCommand<const O extends Options>(
  args: string[],
  options: O,
  help: { usage: string; text: string },
  io: CliIo,
): Parsed<O> | undefined {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${(error as Error).message} (see ${help.usage} --help)`);
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    io.stdout(help.text);
    return undefined;
  }
  return parsed;
}

/** The command's positional arguments, exactly as many as it takes. */
export function positionalArgs(positionals: string[], names: readonly string[], usage: string): string[] {
  if (positionals.length < names.length) {
    throw usageError(`missing ${names.slice(positionals.length).map((name) => `<${name}>`).join(" ")} (see ${usage} --help)`);
  }
  if (positionals.length > names.length) {
    throw usageError(`unexpected argument ${JSON.stringify(positionals[names.length])} (see ${usage} --help)`);
  }
  return positionals;
}

export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;

/** The command line names flows in full; the client's `"slug"` shorthand needs defaults it does not have. */
export function flowArg(text: string): string {
  const parts = text.split("/");
  if (parts.length !== 3 || parts.some((part) => part === "")) {
    throw usageError(`a flow is named org/project/slug (e.g. examples/demo/hello), got ${JSON.stringify(text)}`);
  }
  return text;
}
