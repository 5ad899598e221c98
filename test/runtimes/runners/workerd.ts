import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { RuntimeReport } from "../checks.js";
import type { Runtime } from "../runtime.js";

const require = createRequire(import.meta.url);

async function versionOf(packageJson: string): Promise<string> {
  return (JSON.parse(await readFile(packageJson, "utf8")) as { version: string }).version;
}

/** A fixed date, so a newer workerd keeps the behaviour the checks were written against. */
const COMPATIBILITY_DATE = "2026-04-26";

/**
 * workerd, started by miniflare as its own process, serves the consumer's
 * Worker module (bundled with the `workerd`, `worker` and `browser`
 * conditions, as a Workers deploy bundles it); one request runs the checks.
 */
export const workerd: Runtime = {
  name: "workerd",
  loads: "a Worker module bundled by esbuild with the `workerd`, `worker`, `browser` conditions, run by miniflare: the browser/edge build",
  async run({ baseUrl, consumer }) {
    let miniflarePackage: string;
    try {
      miniflarePackage = require.resolve("miniflare/package.json");
    } catch {
      throw new Error("workerd is not installed: the devDependency miniflare (which brings workerd's binary) is missing from node_modules. Run npm ci.");
    }
    const { Miniflare } = await import("miniflare");
    const workerdVersion = await versionOf(createRequire(miniflarePackage).resolve("workerd/package.json"));
    const miniflare = new Miniflare({ modules: true, modulesRoot: consumer.dir, scriptPath: consumer.workerBundle, compatibilityDate: COMPATIBILITY_DATE });
    try {
      const response = await miniflare.dispatchFetch(`http://runtime-matrix.test/?baseUrl=${encodeURIComponent(baseUrl)}`);
      const text = await response.text();
      if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${text.slice(0, 2_000)}`);
      const report = JSON.parse(text) as RuntimeReport;
      if (report.runtime !== "Cloudflare-Workers") throw new Error(`the checks ran in "${report.runtime}", not in workerd`);
      return { version: `${workerdVersion} (miniflare ${await versionOf(miniflarePackage)})`, report };
    } finally {
      await miniflare.dispose();
    }
  },
};
