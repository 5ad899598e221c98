import { parseArgs, type ParseArgsConfig } from "node:util";
import { usageError } from "./errors.js";
import type { CliIo } from "./io.js";
import { didYouMean } from "./suggest.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof COMMON_OPTIONS; allowPositionals: true; strict: true }>>;

/** Flags every command takes, wherever they stand (`noukai --no-color run …` too). */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  "no-color": { type: "boolean" },
  debug: { type: "boolean" },
} as const;

export const COMMON_HELP = `  --no-color               no colour (also NO_COLOR=1); colour is on for terminals only
  --debug                  print each HTTP exchange on stderr (the API key redacted)
  -h, --help               show this help`;

/**
 * Parses a command's flags. `node:util`'s parser reads them (lenient, so its
 * own wording never reaches the user); every mistake is then told here, in
 * our words, with the flag that was probably meant. Returns `undefined` when
 * `--help` was asked for (and printed), so every command answers it alike.
 */
export function parseCommand<const O extends Options>(
  args: string[],
  options: O,
  help: { usage: string; text: string },
  io: CliIo,
): Parsed<O> | undefined {
  const all = { ...COMMON_OPTIONS, ...options };
  const parsed = parseArgs({ args, options: all, allowPositionals: true, strict: false, tokens: true });
  const flagNames = Object.entries(all).flatMap(([name, option]) => ["--" + name, ...(option.short === undefined ? [] : ["-" + option.short])]);
  const see = ` (see ${help.usage} --help)`;
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    const option = all[token.name];
    if (option === undefined) {
      // `-mhello` reads as the flags -m -h -e…: name what was typed, not a letter of it.
      const typed = token.rawName.startsWith("--") ? token.rawName : (args[token.index] ?? token.rawName);
      throw usageError(`unknown flag ${typed}${didYouMean(typed.split("=", 1)[0] ?? typed, flagNames)}${see}`);
    }
    if (option.type === "boolean" && token.value !== undefined) throw usageError(`${token.rawName} takes no value, got ${JSON.stringify(token.value)}${see}`);
    if (option.type === "string") {
      // `-m --json` is a forgotten value, not a message that reads "--json"; `--timeout -1` is a value.
      if (token.value === undefined || (token.inlineValue === false && flagNames.includes(token.value.split("=", 1)[0] ?? ""))) {
        throw usageError(`${token.rawName} needs a value${see}`);
      }
    }
  }
  if (parsed.values["help"] === true) {
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

/** `job sumbit`: the action a command takes, or a usage error that names the closest one. */
export function actionArg<const A extends string>(action: string | undefined, actions: readonly A[], usage: string): A {
  if (action !== undefined && (actions as readonly string[]).includes(action)) return action as A;
  const list = actions.join(", ");
  if (action === undefined) throw usageError(`${usage} takes ${list} (see ${usage} --help)`);
  throw usageError(`${usage} has no action ${JSON.stringify(action)}${didYouMean(action, actions)}; it takes ${list} (see ${usage} --help)`);
}

/** The command line names flows in full; the client's `"slug"` shorthand needs defaults it does not have. */
export function flowArg(text: string): string {
  const parts = text.split("/");
  if (parts.length !== 3 || parts.some((part) => part === "")) {
    throw usageError(`a flow is named org/project/slug (e.g. examples/demo/hello), got ${JSON.stringify(text)}`);
  }
  return text;
}
