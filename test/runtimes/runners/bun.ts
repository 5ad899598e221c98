import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseReport, requireFile, runProcess, type Runtime } from "../runtime.js";

const PACKAGE = "@oven/bun-linux-x64";

function bunBinary(): string {
  const how = `Run npm ci: the devDependency ${PACKAGE} ships the binary (Linux x64 with glibc only).`;
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  } catch {
    throw new Error(`Bun is not installed: ${PACKAGE} is missing from node_modules. ${how}`);
  }
  return requireFile(join(dir, "bin", "bun"), "Bun", how);
}

/**
 * Bun runs the consumer's script, which imports `noukai` by name. Bun's own
 * conditions would pick the Node build; `--conditions=worker` picks the
 * fetch build that Workers-style code on Bun gets.
 */
export const bun: Runtime = {
  name: "Bun",
  loads: "`import` by name, `bun --conditions=worker`: the browser/edge build",
  async run({ baseUrl, consumer }) {
    // No transpiler cache in the user's home: the run leaves nothing behind.
    const env = { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" };
    const output = await runProcess(bunBinary(), ["--conditions=worker", consumer.processScript, baseUrl], { cwd: consumer.dir, env });
    const report = parseReport(output, /^bun \d/);
    return { version: report.runtime.slice("bun ".length), report };
  },
};
