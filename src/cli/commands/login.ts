import { readStoredKeys, writeStoredKeys } from "../credentials.js";
import { CONNECTION_OPTIONS, resolveTarget } from "../connection.js";
import { EXIT, usageError } from "../errors.js";
import { jsonLine } from "../format.js";
import type { CliIo } from "../io.js";
import { COMMON_HELP, parseCommand, positionalArgs } from "../parse.js";
import { rememberTarget } from "../target.js";

const TARGET_HELP = `Server (as for every command):
  --dev                    the local server at http://localhost:8080/api/v1
  --base-url URL           another API root, ending in /api/v1
Otherwise NOUKAI_BASE_URL or NOUKAI_ENV, else production.`;

export const LOGIN_HELP = {
  usage: "noukai login",
  text: `Usage: noukai login [--dev | --base-url URL] [--json]
       echo "$KEY" | noukai login

Stores an API key for one server, in a file only you can read
($XDG_CONFIG_HOME/noukai/credentials.json, else ~/.config/noukai/), so that
no command needs --api-key (which other users can see in ps). On a terminal
the key is asked for and not shown as you type or paste it; otherwise it is
read from standard input. --api-key KEY also works. A key is only ever sent
to the server it was stored for; --api-key and NOUKAI_API_KEY still win.

${TARGET_HELP}

Options:
  --api-key KEY            the key to store (better typed at the prompt)
  --json                   what was stored, as one JSON line
${COMMON_HELP}`,
};

export const LOGOUT_HELP = {
  usage: "noukai logout",
  text: `Usage: noukai logout [--dev | --base-url URL] [--all] [--json]

Forgets the key noukai login stored for a server (or, with --all, every one).

${TARGET_HELP}

Options:
  --all                    forget the keys of every server
  --json                   what was removed, as one JSON line
${COMMON_HELP}`,
};

const { dev, "base-url": baseUrl, "api-key": apiKey } = CONNECTION_OPTIONS;
export const LOGIN_OPTIONS = { dev, "base-url": baseUrl, "api-key": apiKey, json: { type: "boolean" } } as const;
export const LOGOUT_OPTIONS = { dev, "base-url": baseUrl, all: { type: "boolean" }, json: { type: "boolean" } } as const;

export async function loginCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, LOGIN_OPTIONS, LOGIN_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  positionalArgs(parsed.positionals, [], LOGIN_HELP.usage);
  const target = resolveTarget(parsed.values, io.env);
  rememberTarget(io, target);
  const key = (parsed.values["api-key"] ?? (await readKey(io, target.baseUrl))).trim();
  // The service's rule for keys; said here so that a wrong paste is not stored.
  if (!/^nk_[\x21-\x7e]+$/.test(key)) throw usageError(keyProblem(key));
  const stored = await readStoredKeys(io.env);
  stored.keys[target.baseUrl] = key;
  const file = await writeStoredKeys(io.env, stored);
  if (parsed.values.json === true) io.stdout(jsonLine({ baseUrl: target.baseUrl, file, stored: true }));
  else io.stdout(`stored the key for ${target.baseUrl} in ${file} (readable by you only)`);
  return EXIT.ok;
}

export async function logoutCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, LOGOUT_OPTIONS, LOGOUT_HELP, io);
  if (parsed === undefined) return EXIT.ok;
  positionalArgs(parsed.positionals, [], LOGOUT_HELP.usage);
  const all = parsed.values.all === true;
  if (all && (parsed.values.dev ?? parsed.values["base-url"]) !== undefined) throw usageError("--all forgets every server's key; it takes no --dev or --base-url");
  const stored = await readStoredKeys(io.env);
  const baseUrls = all ? Object.keys(stored.keys) : [resolveTarget(parsed.values, io.env).baseUrl];
  const forgotten = baseUrls.filter((url) => Object.hasOwn(stored.keys, url));
  for (const url of forgotten) delete stored.keys[url];
  const file = await writeStoredKeys(io.env, stored);
  if (parsed.values.json === true) io.stdout(jsonLine({ removed: forgotten, file }));
  else if (forgotten.length === 0) io.stdout(all ? "no key was stored" : `no key was stored for ${baseUrls[0] ?? ""}`);
  else for (const url of forgotten) io.stdout(`removed the key for ${url}`);
  return EXIT.ok;
}

function keyProblem(key: string): string {
  if (key === "") return "no key given";
  if (/[\r\n]/.test(key)) return "the key given holds more than one line: give one key, on one line";
  return "an API key starts with nk_ and holds no spaces";
}

/** The key from a prompt without echo on a terminal, else from standard input (`pass show noukai | noukai login`). */
async function readKey(io: CliIo, baseUrl: string): Promise<string> {
  const input = io.input;
  if (input === undefined) throw usageError("no key given: pass it on standard input or with --api-key");
  if (input.isTTY) return input.readSecret(`API key for ${baseUrl} (not shown): `);
  return input.readAll();
}
