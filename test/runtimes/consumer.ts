import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * A consumer project in a temporary folder, as a user of each runtime would
 * have one: `node_modules/noukai` (a link to this package, so its
 * package.json `exports` choose the build), and the runtimes' entries
 * compiled to JavaScript beside it, each still importing `noukai` by name.
 * Living outside this repository, nothing resolves `noukai` through this
 * repository's tsconfig `paths` (to `src/`) by mistake.
 */
export interface Consumer {
  readonly dir: string;
  /** Bun's and Deno's script; takes the base URL as its argument. */
  readonly processScript: string;
  /** The page module Chromium loads. */
  readonly pageScript: string;
  /** The Worker module, bundled with the package the way a Workers deploy bundles it. */
  readonly workerBundle: string;
  dispose(): Promise<void>;
}

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRIES = fileURLToPath(new URL("./entries/", import.meta.url));

export async function createConsumer(): Promise<Consumer> {
  const dir = await mkdtemp(join(tmpdir(), "noukai-runtimes-"));
  try {
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "runtime-consumer", private: true, type: "module" }));
    await mkdir(join(dir, "node_modules"));
    await symlink(ROOT, join(dir, "node_modules", "noukai"), "dir");
    // The user's own code: the checks and an entry per runtime, `noukai` left to the runtime.
    await build({
      entryPoints: ["process", "page", "worker"].map((name) => join(ENTRIES, `${name}.ts`)),
      outdir: dir,
      bundle: true,
      external: ["noukai"],
      format: "esm",
      platform: "neutral",
      target: "es2022",
      logLevel: "silent",
    });
    // What a Workers deploy does with that code: one module, `noukai` resolved with workerd's conditions.
    const workerBundle = join(dir, "worker.bundle.js");
    await build({
      entryPoints: [join(dir, "worker.js")],
      absWorkingDir: dir,
      outfile: workerBundle,
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["module", "main"],
      target: "es2022",
      logLevel: "silent",
    });
    return {
      dir,
      processScript: join(dir, "process.js"),
      pageScript: join(dir, "page.js"),
      workerBundle,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
