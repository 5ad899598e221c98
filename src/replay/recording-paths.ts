/**
 * The cassettes being recorded in this process. Two scopes recording to one
 * file at once would each write it whole at their end, the last one over
 * the other: the second scope is refused before its code runs instead. A
 * file is known by its real path (a link, `..` or a URL name it alike), and
 * the set is one for both builds of the package.
 */
import { realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sharedByBuilds } from "../clients/runtime/shared-by-builds.js";
import { CassetteError } from "../core/replay-errors.js";

const held = sharedByBuilds("recorded-cassettes@1", () => new Set<string>());

/** Takes the cassette's path for a recording scope; the function returned gives it back. */
export function holdRecording(path: string | URL): () => void {
  const key = realPathOf(resolve(typeof path === "string" ? path : fileURLToPath(path)));
  if (held.has(key)) {
    throw new CassetteError(`The cassette ${String(path)} is being recorded by another scope that has not ended; recording it again now would overwrite one of the two recordings.`, { code: "CASSETTE_IN_USE" });
  }
  held.add(key);
  return () => void held.delete(key);
}

/** The file's real path; for one not written yet, its folder's real path and its name. */
function realPathOf(target: string): string {
  try {
    return realpathSync(target);
  } catch {
    try {
      return join(realpathSync(dirname(target)), basename(target));
    } catch {
      return target;
    }
  }
}
