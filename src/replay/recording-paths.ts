/**
 * The cassettes being recorded in this process. Two scopes recording to one
 * file at once would each write it whole at their end, the last one over
 * the other: the second scope is refused before its code runs instead.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CassetteError } from "../core/replay-errors.js";

const held = new Set<string>();

/** Takes the cassette's path for a recording scope; the function returned gives it back. */
export function holdRecording(path: string | URL): () => void {
  const key = resolve(typeof path === "string" ? path : fileURLToPath(path));
  if (held.has(key)) {
    throw new CassetteError(`The cassette ${String(path)} is being recorded by another scope that has not ended; recording it again now would overwrite one of the two recordings.`, { code: "CASSETTE_IN_USE" });
  }
  held.add(key);
  return () => void held.delete(key);
}
