import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The client entry point (src/index.ts and all it imports) carries none of
 * the command line's libraries: an application that imports `noukai` never
 * loads a spinner, colours, a file watcher or the CLI itself.
 */
const CLI_ONLY = ["picocolors", "yocto-spinner", "yoctocolors", "chokidar", "readdirp", "fastest-levenshtein"];

describe("the client entry point", () => {
  it("imports nothing of the command line", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const result = await build({ entryPoints: [`${root}src/index.ts`], bundle: true, write: false, metafile: true, platform: "node", format: "esm", logLevel: "silent" });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.startsWith("src/core/"))).toBe(true);
    expect(inputs.filter((input) => input.startsWith("src/cli/") || CLI_ONLY.some((name) => input.includes(`node_modules/${name}/`)))).toEqual([]);
  });
});
