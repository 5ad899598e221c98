/**
 * The README's replay example is a test suite of its own: run once against
 * a live local server it records its cassette; run again with the service
 * out of reach it passes from the cassette, opening no connection.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const local = useLocalServer();
const project = mkdtempSync(join(tmpdir(), "noukai-readme-replay-"));
let counting: Server;
let connections = 0;
let nowhere = "";

/** The block that follows `<!-- example: NAME -->` in the README. */
function example(name: string): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\``).exec(readme)?.[1];
  if (block === undefined) throw new Error(`the README has no example ${name}`);
  return block;
}

beforeAll(async () => {
  counting = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => counting.listen(0, "127.0.0.1", resolve));
  const address = counting.address();
  nowhere = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/api/v1`;
  // A user's project: its test file, the package, and vitest.
  mkdirSync(join(project, "test"));
  mkdirSync(join(project, "node_modules"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "readme-replay", type: "module", private: true }));
  writeFileSync(join(project, "test", "hello.test.ts"), example("replay-test"));
  symlinkSync(root, join(project, "node_modules", "noukai"), "dir");
  symlinkSync(join(root, "node_modules", "vitest"), join(project, "node_modules", "vitest"), "dir");
});
afterAll(async () => {
  await new Promise((resolve) => counting.close(resolve));
  rmSync(project, { recursive: true, force: true });
});

/** Runs the project's tests with only the given NOUKAI_ variables set. */
const vitest = (env: Record<string, string>) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("NOUKAI_")));
  return run(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--root", project], { cwd: project, env: { ...clean, ...env }, timeout: 60_000 });
};

describe("the README's record-and-replay test suite", () => {
  it("records its cassette against the service, then passes offline from it", async () => {
    await vitest({ NOUKAI_BASE_URL: local.baseUrl, NOUKAI_API_KEY: "nk_recording" });
    const cassette = join(project, "test", "cassettes", "hello.json");
    expect(existsSync(cassette)).toBe(true);
    expect(readFileSync(cassette, "utf8")).not.toContain("nk_recording");
    const before = connections;
    const { stdout } = await vitest({ NOUKAI_BASE_URL: nowhere });
    expect(stdout).toMatch(/1 passed/);
    expect(connections - before).toBe(0);
  }, 120_000);
});
