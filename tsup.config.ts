import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

/**
 * Browsers and edge runtimes get a build whose platform module uses `fetch`
 * and has no blocking client, so it pulls in no `node:` module.
 */
const webPlatform: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "noukai-web-platform",
  setup(build) {
    // Each module that has a web twin (`x.web.ts` beside `x.ts`, or runtime/web.ts) is swapped for it.
    const twins: [RegExp, string][] = [
      [/\/runtime\/node\.js$/, "./src/clients/runtime/web.ts"],
      [/\/clients\/noukai\.js$/, "./src/clients/noukai.web.ts"],
      [/\/replay\/scope\.js$/, "./src/replay/scope.web.ts"],
      [/\/utf8-chunks\.js$/, "./src/core/utf8-chunks.web.ts"],
      [/\/client-telemetry\.js$/, "./src/telemetry/client-telemetry.web.ts"],
      [/\/fetch-module-option\.js$/, "./src/clients/shared/fetch-module-option.web.ts"],
    ];
    for (const [filter, twin] of twins) build.onResolve({ filter }, () => ({ path: fileURLToPath(new URL(twin, import.meta.url)) }));
  },
};

/**
 * `noukai/blocking`'s own files load the main entry (`./index.js` or
 * `./index.cjs`) rather than carrying a copy of the client: the classes are
 * the main entry's, and the package loads only after the entry has started
 * the I/O thread.
 */
const mainEntry: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "noukai-main-entry",
  setup(build) {
    build.onResolve({ filter: /^\.\/index\.c?js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const publicEntries = {
  index: "src/index.ts",
  server: "src/server/index.ts",
  // Web frameworks and the relay: one entry each, so the main entry imports none of them.
  express: "src/web/adapters/express.ts",
  fastify: "src/web/adapters/fastify.ts",
  hono: "src/web/adapters/hono.ts",
  next: "src/web/adapters/next.ts",
  fetch: "src/web/adapters/fetch.ts",
  relay: "src/web/relay/client/index.ts",
};

// Public entries ship as ESM + CommonJS with declarations. Worker scripts are
// loaded by file name at run time (`new Worker(url)`), so they are built once,
// in one format, into the same folder as the entries that start them.
export default defineConfig([
  {
    entry: publicEntries,
    format: ["esm", "cjs"],
    // noukai/blocking's declarations come from its surface, built with the
    // others so that they share theirs (its Noukai is the main entry's type).
    // Its code is the main entry's (see blocking-entry below): as an entry of
    // its own here, it would split the main entry into more files to load.
    dts: { entry: { ...publicEntries, blocking: "src/blocking.ts" } },
    shims: true,
    target: "node18",
    sourcemap: true,
    clean: true,
    splitting: true,
  },
  {
    entry: { "index.browser": "src/index.ts" },
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    sourcemap: true,
    esbuildPlugins: [webPlatform],
  },
  {
    // The relay's browser client as one self-contained module: a page loads it with no bundler and no import map.
    entry: { "relay.browser": "src/web/relay/client/index.ts" },
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    sourcemap: true,
  },
  {
    // fetch-style adapters for edge runtimes (workerd, Vercel's edge): no node: module; scopes are refused there, relays work.
    entry: { "fetch.edge": "src/web/adapters/fetch.ts", "hono.edge": "src/web/adapters/hono.ts", "next.edge": "src/web/adapters/next.ts" },
    format: ["esm"],
    platform: "neutral",
    target: "es2022",
    sourcemap: true,
    splitting: false,
    esbuildPlugins: [webPlatform],
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    target: "node18",
    sourcemap: true,
    banner: { js: "#!/usr/bin/env node" },
  },
  {
    // noukai/blocking as users load it: a small file that starts the I/O
    // thread, then loads the package (./src/blocking-entry.ts says why an
    // ES module must do so by an awaited import(), and has a twin for require).
    entry: { "blocking-entry": "src/blocking-entry.ts" },
    format: ["esm"],
    target: "node18",
    sourcemap: true,
    esbuildPlugins: [mainEntry],
  },
  {
    entry: { "blocking-entry": "src/blocking-entry.cjs.ts" },
    format: ["cjs"],
    shims: true,
    target: "node18",
    sourcemap: true,
    esbuildPlugins: [mainEntry],
  },
  {
    entry: { "server-worker": "src/server/node/worker-entry.ts" },
    format: ["esm"],
    target: "node18",
    sourcemap: true,
  },
  {
    // The blocking client's I/O worker starts while its caller's first call
    // waits, so its start is on that call's path: as CommonJS, a fresh
    // thread loads it without starting Node's ESM loader (about 8 ms of CPU).
    entry: { "sync-worker": "src/drivers/sync/worker-entry.ts" },
    format: ["cjs"],
    target: "node18",
    // For import.meta.url, which the transport's lazy loading of node:http(s) resolves from.
    shims: true,
    sourcemap: true,
  },
]);
