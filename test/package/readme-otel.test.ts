/**
 * The README's OpenTelemetry example, run as a user's project would run it
 * (its own file, the package and the OpenTelemetry SDK from node_modules,
 * `tsx`), against a local server: it prints the result and, through the
 * console exporter, the caller's span, the call's and the tool's, all in one
 * trace.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const local = useLocalServer();
const project = mkdtempSync(join(tmpdir(), "noukai-readme-otel-"));

/** The block that follows `<!-- example: NAME -->` in the README. */
function example(name: string): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = new RegExp(`<!-- example: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\``).exec(readme)?.[1];
  if (block === undefined) throw new Error(`the README has no example ${name}`);
  return block;
}

beforeAll(() => {
  mkdirSync(join(project, "node_modules", "@opentelemetry"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "readme-otel", type: "module", private: true }));
  writeFileSync(join(project, "tracing.ts"), example("otel-console"));
  symlinkSync(root, join(project, "node_modules", "noukai"), "dir");
  symlinkSync(join(root, "node_modules", "tsx"), join(project, "node_modules", "tsx"), "dir");
  for (const name of ["api", "sdk-trace-base", "sdk-trace-node"]) {
    symlinkSync(join(root, "node_modules", "@opentelemetry", name), join(project, "node_modules", "@opentelemetry", name), "dir");
  }
});
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe("the README's OpenTelemetry example", () => {
  it("prints the result, and the caller's span, the call's and the tool's in one trace", async () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("NOUKAI_")));
    const { stdout } = await run(process.execPath, ["--import", "tsx", "tracing.ts"], {
      cwd: project,
      env: { ...clean, NOUKAI_API_KEY: "nk_dev", NOUKAI_BASE_URL: local.baseUrl },
      timeout: 60_000,
    });
    expect(stdout).toContain("Weather in Paris: sunny, 21 °C");
    for (const name of ["answer the customer", "noukai.flow.execute", "execute_tool get_weather"]) expect(stdout).toContain(`name: '${name}'`);
    const traces = new Set([...stdout.matchAll(/traceId: '([0-9a-f]{32})'/g)].map((match) => match[1]));
    expect(traces.size).toBe(1);
  }, 90_000);
});
