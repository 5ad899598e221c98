import { cassetteFiles } from "../clients/runtime/node.js";
import { CassetteError } from "../core/replay-errors.js";
import type { Cassette } from "./cassette.js";
import { checkCassette } from "./cassette-check.js";
import { cassetteText } from "./cassette-text.js";

/** A cassette as a scope takes it: a file (path or URL), or the object itself. */
export type CassetteSource = string | URL | Cassette;

export function loadCassette(source: CassetteSource): Cassette {
  if (typeof source !== "string" && !(source instanceof URL)) return checkCassette(source, "the cassette");
  const where = String(source);
  let text: string;
  try {
    text = cassetteFiles.read(source);
  } catch (error) {
    throw new CassetteError(`The cassette ${where} cannot be read: ${(error as Error).message}`, { code: "CASSETTE_UNREADABLE", cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CassetteError(`The cassette ${where} is not JSON: ${(error as Error).message}`, { code: "CASSETTE_INVALID" });
  }
  return checkCassette(value, where);
}

export function cassetteExists(path: string | URL): boolean {
  return cassetteFiles.exists(path);
}

/**
 * Checks that a recording's cassette can be written where it is asked for,
 * before the scope's code runs: found only at the end, the calls would have
 * been made for nothing.
 */
export function prepareCassette(path: string | URL): void {
  try {
    cassetteFiles.refuseSpecial(path);
  } catch (error) {
    throw new CassetteError(`The cassette ${String(path)} cannot be recorded: ${(error as Error).message}`, { code: "CASSETTE_UNREADABLE", cause: error });
  }
  try {
    cassetteFiles.prepare(path);
  } catch (error) {
    throw unwritable(path, error);
  }
}

/**
 * Written whole, its top levels indented (./cassette-text.ts), ending with a
 * newline: cassettes are committed beside the tests that use them. It is
 * checked as a load checks it first: what the library writes, it loads.
 */
export function saveCassette(path: string | URL, cassette: Cassette): void {
  const text = writtenCassette(cassette, String(path));
  try {
    cassetteFiles.write(path, text);
  } catch (error) {
    throw unwritable(path, error);
  }
}

/** A cassette as the text a file (or the command line's output) holds, checked first as a load would check it: what the library writes, it loads. */
export function writtenCassette(cassette: Cassette, where: string): string {
  checkCassette(cassette, where);
  return cassetteText(cassette);
}

function unwritable(path: string | URL, error: unknown): CassetteError {
  return new CassetteError(`The cassette ${String(path)} cannot be written: ${(error as Error).message}`, { code: "CASSETTE_UNWRITABLE", cause: error });
}
