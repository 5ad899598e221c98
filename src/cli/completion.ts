/**
 * Shell completion scripts, written from the command table: every command,
 * its actions, and its flags (those taking a file complete file names). No
 * call back into noukai at completion time, so completing is instant and
 * works with no server running.
 */
export interface CompletionSpec {
  name: string;
  summary: string;
  actions?: readonly string[];
  /** Flags as `--name` (with `-x` for a short one); a value-taking flag ends in `=`. */
  flags: readonly string[];
}

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** Flags whose value is a file or a folder: the shell offers paths for them. */
const PATH_FLAGS = new Set(["--messages", "--output", "-o", "--flows"]);

export function completionScript(shell: Shell, specs: readonly CompletionSpec[]): string {
  if (shell === "bash") return bash(specs);
  if (shell === "zsh") return zsh(specs);
  return fish(specs);
}

const bare = (flag: string) => flag.replace(/=$/, "");
const words = (list: readonly string[]) => list.map(bare).join(" ");
const valueFlags = (specs: readonly CompletionSpec[]) => [...new Set(specs.flatMap((spec) => spec.flags.filter((flag) => flag.endsWith("=")).map(bare)))];

function bash(specs: readonly CompletionSpec[]): string {
  const cases = specs.map((spec) => {
    const actions = spec.actions === undefined ? "" : `\n      if [ "$position" -eq 1 ]; then COMPREPLY=($(compgen -W "${words(spec.actions)}" -- "$cur")); return; fi`;
    return `    ${spec.name})${actions}\n      flags="${words(spec.flags)}" ;;`;
  });
  return `# noukai completion for bash: eval "$(noukai completion bash)", e.g. in ~/.bashrc
_noukai() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local command="" position=0 i word flags=""
  # The command is the first word that is not a flag or a flag's value (noukai --dev run …).
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      ${valueFlags(specs).join("|")}) i=$((i + 1)) ;;
      -*) ;;
      *) if [ -z "$command" ]; then command="$word"; else position=$((position + 1)); fi ;;
    esac
  done
  position=$((position + 1))
  case "$prev" in
    ${[...PATH_FLAGS].join("|")}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  if [ -z "$command" ]; then
    COMPREPLY=($(compgen -W "${specs.map((spec) => spec.name).join(" ")} --help --version" -- "$cur"))
    return
  fi
  case "$command" in
${cases.join("\n")}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$flags" -- "$cur")); fi
}
complete -o default -F _noukai noukai
`;
}

function zsh(specs: readonly CompletionSpec[]): string {
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  const cases = specs.map((spec) => {
    const actions = spec.actions === undefined ? "" : `\n      if (( CURRENT == 3 )); then compadd -- ${spec.actions.join(" ")}; return; fi`;
    return `    ${spec.name})${actions}\n      compadd -- ${words(spec.flags)} ;;`;
  });
  return `#compdef noukai
# noukai completion for zsh: noukai completion zsh > "\${fpath[1]}/_noukai", or eval "$(noukai completion zsh)" after compinit
_noukai() {
  local -a commands
  commands=(${specs.map((spec) => quote(`${spec.name}:${spec.summary}`)).join(" ")})
  case $words[CURRENT-1] in
    ${[...PATH_FLAGS].join("|")}) _files; return ;;
  esac
  if (( CURRENT == 2 )); then _describe command commands; return; fi
  case $words[2] in
${cases.join("\n")}
  esac
}
compdef _noukai noukai
`;
}

function fish(specs: readonly CompletionSpec[]): string {
  const lines = [
    "# noukai completion for fish: noukai completion fish > ~/.config/fish/completions/noukai.fish",
    "complete -c noukai -f",
    `complete -c noukai -n __fish_use_subcommand -l help -d 'show the help'`,
    `complete -c noukai -n __fish_use_subcommand -l version -d 'show the version'`,
  ];
  for (const spec of specs) {
    lines.push(`complete -c noukai -n __fish_use_subcommand -a ${spec.name} -d '${spec.summary.replace(/'/g, "\\'")}'`);
    const when = `'__fish_seen_subcommand_from ${spec.name}'`;
    if (spec.actions !== undefined) lines.push(`complete -c noukai -n ${when} -a '${spec.actions.join(" ")}'`);
    for (const flag of spec.flags) {
      const name = bare(flag);
      const option = name.startsWith("--") ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`;
      const value = flag.endsWith("=") ? (PATH_FLAGS.has(name) ? " -r -F" : " -r") : "";
      lines.push(`complete -c noukai -n ${when} ${option}${value}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
