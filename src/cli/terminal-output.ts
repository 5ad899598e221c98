import type { CliIo } from "./io.js";
import { forTerminal } from "./visible.js";

/**
 * The one path every command's output takes: on a terminal, standard output
 * shows its control characters as escapes (./visible.ts), whatever wrote the
 * line and wherever its text came from; standard error, written for a person
 * whatever it is connected to, always does. A server's text (an id, a status,
 * a step name, a cost) can then reach a terminal only shown, never obeyed,
 * without each line having to remember it. In a pipe, standard output is
 * data (a result, NDJSON) and passes as it is.
 */
export function shownSafely(io: CliIo): CliIo {
  return {
    ...io,
    stdout: io.isTTY ? (text) => io.stdout(forTerminal(text)) : (text) => io.stdout(text),
    stderr: (text) => io.stderr(forTerminal(text)),
  };
}
