/**
 * The runtime matrix (issue 18): the async client's contract checks
 * (./checks.ts), run against the local server from real processes of Bun,
 * Deno, workerd and Chromium, each loading the package the way a user there
 * would. A runtime missing from the machine fails its test, naming what to
 * install. The last test holds the README's "Where it runs" table to what ran.
 */
import { readFile } from "node:fs/promises";
import { startServer, type RunningServer, type ServerOptions } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_NAMES, RUNTIME_FLOWS } from "./checks.js";
import { createConsumer, type Consumer } from "./consumer.js";
import { servePage, type PageServer } from "./page-server.js";
import { renderTable, SECTION, tableIn } from "./readme-table.js";
import type { Runtime, RuntimeRun } from "./runtime.js";
import { bun } from "./runners/bun.js";
import { chromium } from "./runners/chromium.js";
import { deno } from "./runners/deno.js";
import { workerd } from "./runners/workerd.js";

const RUNTIMES: Runtime[] = [bun, deno, workerd, chromium];
const TOTAL = CHECK_NAMES.length;

let consumer: Consumer | undefined;
let page: PageServer | undefined;
let server: RunningServer | undefined;
const runs = new Map<string, RuntimeRun>();

beforeAll(async () => {
  consumer = await createConsumer();
  page = await servePage(consumer);
  // `cors` is the server's origin allow-list: only the page's origin may call
  // it from a browser. (A server without the option ignores it and allows any.)
  const options: ServerOptions & { cors: string[] } = { port: 0, flows: RUNTIME_FLOWS, cors: [page.origin] };
  server = await startServer(options);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await page?.close();
  await consumer?.dispose();
});

describe("the runtime matrix: the async client's contract in real runtimes", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime.name} passes all ${TOTAL} checks`, async () => {
      if (!server || !consumer || !page) throw new Error("the matrix did not start");
      const started = performance.now();
      const run = await runtime.run({ baseUrl: server.baseUrl, port: server.port, consumer, pageOrigin: page.origin });
      runs.set(runtime.name, run);
      const { results } = run.report;
      const seconds = ((performance.now() - started) / 1_000).toFixed(1);
      console.log(`${runtime.name} ${run.version}: ${results.filter((result) => result.pass).length}/${TOTAL} checks passed in ${seconds} s`);
      expect(results.map((result) => result.name)).toEqual(CHECK_NAMES);
      expect(results.filter((result) => !result.pass)).toEqual([]);
    }, 60_000);
  }

  it(`README's "${SECTION.slice(3)}" table says what ran`, async () => {
    const missing = RUNTIMES.filter((runtime) => !runs.has(runtime.name)).map((runtime) => runtime.name);
    if (missing.length > 0) {
      throw new Error(`no result from ${missing.join(", ")} (its test failed, or was filtered out): the table is checked against a run of every runtime`);
    }
    const expected = renderTable(
      RUNTIMES.map((runtime) => {
        const run = runs.get(runtime.name) as RuntimeRun;
        return { runtime: runtime.name, version: run.version, loads: runtime.loads, passed: run.report.results.filter((result) => result.pass).length, total: TOTAL };
      }),
    );
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    expect(tableIn(readme).join("\n"), `README.md's table must read:\n\n${expected.join("\n")}\n`).toBe(expected.join("\n"));
  });
});
