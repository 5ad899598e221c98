import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { CliError, EXIT } from "./errors.js";
import type { CliIo } from "./io.js";

/**
 * The keys `noukai login` stored, one per API root, in a file only the user
 * may read (0600, in a 0700 folder): `$NOUKAI_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/noukai`, else `~/.config/noukai`. A key is only ever
 * sent to the API root it was stored for.
 */
export interface StoredKeys {
  keys: Record<string, string>;
}

export function credentialsFile(env: CliIo["env"]): string {
  const dir = env["NOUKAI_CONFIG_DIR"] || join(env["XDG_CONFIG_HOME"] || join(env["HOME"] || homedir(), ".config"), "noukai");
  return join(dir, "credentials.json");
}

export async function readStoredKeys(env: CliIo["env"]): Promise<StoredKeys> {
  let text: string;
  try {
    text = await readFile(credentialsFile(env), "utf8");
  } catch {
    return { keys: {} };
  }
  try {
    const value = JSON.parse(text) as { keys?: unknown };
    const keys = value.keys !== null && typeof value.keys === "object" ? (value.keys as Record<string, unknown>) : {};
    return { keys: Object.fromEntries(Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === "string")) };
  } catch {
    // A file that is not ours to read is no key at all; login writes it anew.
    return { keys: {} };
  }
}

/**
 * Writes the file whole (a temporary file, then a rename), readable by the user only.
 * A file that cannot be written is one CliError naming it; the temporary file, which
 * holds the keys, never stays behind.
 */
export async function writeStoredKeys(env: CliIo["env"], stored: StoredKeys): Promise<string> {
  const file = credentialsFile(env);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    if (Object.keys(stored.keys).length === 0) {
      await rm(file, { force: true });
      return file;
    }
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFile is masked by the umask, and an existing file keeps its own: set it outright.
    await chmod(temporary, 0o600);
    await rename(temporary, file);
    return file;
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`cannot write the stored keys to ${file} (${code}); set NOUKAI_CONFIG_DIR to a folder you can write, or pass --api-key`, EXIT.failure);
  }
}
