import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseReport, requireFile, runProcess, type Runtime } from "../runtime.js";

const PACKAGE = "@deno/linux-x64-glibc";

function denoBinary(): string {
  const how = `Run npm ci: the devDependency ${PACKAGE} ships the binary (Linux x64 with glibc only).`;
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  } catch {
    throw new Error(`Deno is not installed: ${PACKAGE} is missing from node_modules. ${how}`);
  }
  return requireFile(join(dir, "deno"), "Deno", how);
}

/**
 * Deno runs the consumer's script from its folder (package.json and
 * node_modules, no deno.json), with no permission but the network to the
 * local server: not even to read the environment, which the SDK must then
 * take as unset rather than fail.
 */
export const deno: Runtime = {
  name: "Deno",
  loads: "`import` by name, `deno run --conditions=worker`, allowed only the network to the server (no environment access): the browser/edge build",
  async run({ baseUrl, port, consumer }) {
    const args = [
      "run",
      "--conditions=worker",
      `--allow-net=127.0.0.1:${port}`,
      "--no-prompt",
      "--quiet",
      consumer.processScript,
      baseUrl,
    ];
    // Its cache stays in the consumer's folder, which the test removes.
    const env = { DENO_DIR: join(consumer.dir, ".deno"), DENO_NO_UPDATE_CHECK: "1" };
    const report = parseReport(await runProcess(denoBinary(), args, { cwd: consumer.dir, env }), /^deno \d/);
    return { version: report.runtime.slice("deno ".length), report };
  },
};
