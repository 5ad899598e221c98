import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const dist = (file: string) => fileURLToPath(new URL(`./dist/${file}`, import.meta.url));

// Tests that exercise the package as users see it import `noukai` and
// `noukai/server`; those resolve to the build, because the blocking client and
// the local server start worker threads from built files. Unit tests of pure
// modules import `src/` directly.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^noukai\/server$/, replacement: dist("server.js") },
      { find: /^noukai\/(express|fastify|hono|next|fetch|relay)$/, replacement: dist("$1.js") },
      { find: /^noukai$/, replacement: dist("index.js") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    setupFiles: ["test/helpers/close-clients.ts"],
    typecheck: { enabled: false },
  },
});
