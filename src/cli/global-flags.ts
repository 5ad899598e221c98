import { usageError } from "./errors.js";

const BOOLEAN_FLAGS = new Set(["--dev", "--no-color", "--debug"]);
const VALUE_FLAGS = new Set(["--base-url", "--api-key", "--timeout"]);

/**
 * `noukai --dev run hello` means `noukai run hello --dev`: the connection
 * flags given before the command are peeled off here and handed to it, which
 * parses them with its own. Stops at the first other token (the command).
 */
export function splitLeadingGlobals(argv: readonly string[]): { globals: string[]; command: string | undefined; rest: string[] } {
  const globals: string[] = [];
  let index = 0;
  for (;;) {
    const token = argv[index];
    if (token === undefined) break;
    const name = token.split("=", 1)[0] ?? token;
    if (BOOLEAN_FLAGS.has(token)) {
      globals.push(token);
      index += 1;
    } else if (VALUE_FLAGS.has(name)) {
      if (token.includes("=")) {
        globals.push(token);
        index += 1;
      } else {
        const value = argv[index + 1];
        if (value === undefined) throw usageError(`${token} needs a value (see noukai --help)`);
        globals.push(token, value);
        index += 2;
      }
    } else {
      break;
    }
  }
  return { globals, command: argv[index], rest: argv.slice(index + 1) };
}
