import { completionScript, type CompletionSpec, SHELLS } from "../completion.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { actionArg, COMMON_HELP, parseCommand, positionalArgs } from "../parse.js";

export const COMPLETION_HELP = {
  usage: "noukai completion",
  text: `Usage: noukai completion bash|zsh|fish

Prints a completion script for your shell: commands, their actions and flags,
and file names where a flag takes a file.

  bash:  echo 'eval "$(noukai completion bash)"' >> ~/.bashrc
  zsh:   echo 'eval "$(noukai completion zsh)"' >> ~/.zshrc   (after compinit)
  fish:  noukai completion fish > ~/.config/fish/completions/noukai.fish

Options:
${COMMON_HELP}`,
};

export function completionCommand(args: string[], io: CliIo, specs: readonly CompletionSpec[]): Promise<number> {
  const parsed = parseCommand(args, {}, COMPLETION_HELP, io);
  if (parsed === undefined) return Promise.resolve(EXIT.ok);
  const [shell, extra] = parsed.positionals;
  // A missing or unknown shell is told by actionArg, with the closest one; a second word here.
  if (extra !== undefined) positionalArgs(parsed.positionals, ["shell"], COMPLETION_HELP.usage);
  io.stdout(completionScript(actionArg(shell, SHELLS, COMPLETION_HELP.usage), specs).trimEnd());
  return Promise.resolve(EXIT.ok);
}
