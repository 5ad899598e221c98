/**
 * What writes a cassette to a file writes one the client loads, and of a
 * size that follows what was received, however deep it nests: a session
 * pulled from the service (`noukai sessions pull`) as much as a recording.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCassette, saveCassette } from "../../src/replay/cassette-files.js";
import { cassetteOfSession } from "../../src/replay/session-calls.js";
import { sessionOf, sessionStep } from "../helpers/captured-sessions.js";

const dir = mkdtempSync(join(tmpdir(), "noukai-cassette-writing-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Arrays nested `levels` deep around "deep". */
function nested(levels: number): unknown {
  let value: unknown = "deep";
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

describe("writing a cassette", () => {
  it("writes a pulled session whose input nests deeper than a client sends as a cassette the client loads", () => {
    const file = join(dir, "pulled-deep.json");
    saveCassette(file, cassetteOfSession(sessionOf([sessionStep({ inputSnapshot: { message: "hi", parameters: { input: nested(1_500) } } })])));
    expect(loadCassette(file).calls).toHaveLength(1);
  });

  it("writes a cassette whose size follows what was received, not its depth", () => {
    const cassette = cassetteOfSession(sessionOf([sessionStep({ outputSnapshot: nested(1_900) })]));
    const file = join(dir, "pulled-deep-output.json");
    saveCassette(file, cassette);
    const text = readFileSync(file, "utf8");
    // Indented at every level, the nesting alone would take 1,900 lines of up to 3,800 spaces: megabytes.
    expect(text.length).toBeLessThan(3 * JSON.stringify(cassette).length);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(cassette)));
  });
});
