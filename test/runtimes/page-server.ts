import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";
import type { Consumer } from "./consumer.js";
import { ROOT } from "./consumer.js";

/**
 * The page Chromium loads, from a static server on loopback: the consumer's
 * page module, and the package's browser build exactly as it ships (the file
 * its package.json `exports` give the `browser` condition), with an import
 * map for `noukai` and for each package the browser build imports, each of
 * those bundled into one module.
 */
export interface PageServer {
  /** `http://127.0.0.1:PORT`: the origin the local server must allow. */
  readonly origin: string;
  close(): Promise<void>;
}

interface Asset {
  type: string;
  body: string;
}

const JS = "text/javascript; charset=utf-8";

async function browserEntry(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { exports: { ".": { browser: { default: string } } } };
  return pkg.exports["."].browser.default.replace(/^\.\//, "");
}

/** The packages a module imports by name, as esbuild resolves them. */
async function packagesImportedBy(file: string): Promise<string[]> {
  const { metafile } = await build({ entryPoints: [file], bundle: true, packages: "external", metafile: true, write: false, format: "esm", platform: "browser", logLevel: "silent" });
  const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((item) => item.external).map((item) => item.path));
  return [...new Set(imports)];
}

/** One package as a single ES module (its named exports, which is what the browser build imports). */
async function bundlePackage(name: string): Promise<string> {
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: ROOT, loader: "js" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

export async function servePage(consumer: Consumer): Promise<PageServer> {
  const entry = await browserEntry();
  const assets = new Map<string, Asset>();
  const imports: Record<string, string> = { noukai: `/noukai/${entry}` };
  assets.set(`/noukai/${entry}`, { type: JS, body: await readFile(join(ROOT, entry), "utf8") });
  for (const name of await packagesImportedBy(join(ROOT, entry))) {
    imports[name] = `/packages/${name}.js`;
    assets.set(`/packages/${name}.js`, { type: JS, body: await bundlePackage(name) });
  }
  assets.set("/page.js", { type: JS, body: await readFile(consumer.pageScript, "utf8") });
  assets.set("/", {
    type: "text/html; charset=utf-8",
    body: [
      '<!doctype html><html><head><meta charset="utf-8"><title>noukai runtime matrix</title>',
      `<script type="importmap">${JSON.stringify({ imports })}</script>`,
      '<script type="module" src="/page.js"></script>',
      "</head><body></body></html>",
    ].join("\n"),
  });
  const server = createServer((request, response) => {
    const asset = assets.get(new URL(request.url ?? "/", "http://page").pathname);
    response.writeHead(asset ? 200 : 404, { "content-type": asset?.type ?? "text/plain", "cache-control": "no-store" });
    response.end(asset?.body ?? "not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
