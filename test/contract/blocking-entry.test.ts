/**
 * `noukai/blocking`, as a program that uses it meets it: each check runs in a
 * fresh Node process (the entry does its work as it is imported), which
 * calls the local server this file starts. The scripts import the entry by
 * its package name, as a user's would (the package resolves itself).
 */
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";

const local = useLocalServer();
const root = fileURLToPath(new URL("../..", import.meta.url));
const crashingWorker = fileURLToPath(new URL("../helpers/workers/crashing-worker.mjs", import.meta.url));

/** Runs a script in a fresh process; a process that never ends by itself is stopped after 10 s and fails the check. */
function run(script: string, kind: "module" | "commonjs" = "module", cwd = root) {
  const child = spawnSync(process.execPath, [`--input-type=${kind}`, "-e", script], { cwd, encoding: "utf8", timeout: 10_000 });
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

const options = () => JSON.stringify({ apiKey: TEST_KEY, baseUrl: local.baseUrl, org: "examples", project: "demo" });

describe("noukai/blocking", () => {
  it("imports as an ES module and as CommonJS, with the main entry's own classes, and calls", () => {
    const esm = run(`
      const blocking = await import("noukai/blocking");
      const main = await import("noukai");
      const client = new blocking.Noukai(${options()});
      const { result } = client.flow("hello").execute({ message: "esm" });
      client.close();
      console.log(JSON.stringify({ result, same: blocking.Noukai === main.Noukai && blocking.FlowNotFoundError === main.FlowNotFoundError }));
    `);
    expect(esm).toMatchObject({ status: 0, stderr: "" });
    expect(JSON.parse(esm.stdout)).toEqual({ result: "Hello! You said: esm", same: true });

    const cjs = run(
      `
      const blocking = require("noukai/blocking");
      const main = require("noukai");
      const client = new blocking.Noukai(${options()});
      const { result } = client.flow("hello").execute({ message: "cjs" });
      client.close();
      console.log(JSON.stringify({ result, same: blocking.Noukai === main.Noukai && blocking.FlowNotFoundError === main.FlowNotFoundError }));
    `,
      "commonjs",
    );
    expect(cjs).toMatchObject({ status: 0, stderr: "" });
    expect(JSON.parse(cjs.stdout)).toEqual({ result: "Hello! You said: cjs", same: true });
  });

  // The CommonJS entry's names are typed as src/blocking.ts's values (a missing or extra one does not compile); the ES module's must be the same.
  it("exports the same names in both formats", () => {
    const names = (load: string, kind: "module" | "commonjs") => {
      const child = run(`${load}; console.log(JSON.stringify(Object.keys(entry).filter((name) => name !== "default").sort()));`, kind);
      expect(child).toMatchObject({ status: 0, stderr: "" });
      return JSON.parse(child.stdout) as string[];
    };
    const esm = names(`const entry = await import("noukai/blocking")`, "module");
    expect(esm).toContain("Noukai");
    expect(esm).toContain("APIConnectionError");
    expect(names(`const entry = require("noukai/blocking")`, "commonjs")).toEqual(esm);
  });

  it.each(["module", "commonjs"] as const)("starts one I/O thread as it is imported (%s); the first client takes it, a second client shares it, close() ends each", (kind) => {
    const load = kind === "module" ? `const { Noukai } = await import("noukai/blocking");` : `const { Noukai } = require("noukai/blocking");`;
    // Node tells of a new thread on its next tick: each count lets the ticks before it run.
    const body = `
      let threads = 0;
      process.on("worker", () => threads++);
      const ticked = () => new Promise((resolve) => setImmediate(resolve));
      ${load}
      await ticked();
      const afterImport = threads;
      const first = new Noukai(${options()});
      const second = new Noukai(${options()});
      const results = [first.flow("hello").execute({ message: "one" }).result, second.flow("hello").execute({ message: "two" }).result];
      first.close();
      let afterClose;
      try {
        first.flow("hello").execute({ message: "closed" });
      } catch (error) {
        afterClose = error.code;
      }
      results.push(second.flow("hello").execute({ message: "still" }).result);
      second.close();
      await ticked();
      console.log(JSON.stringify({ afterImport, threads, results, afterClose }));
    `;
    const child = run(kind === "module" ? body : `(async () => {${body}})();`, kind);
    expect(child).toMatchObject({ status: 0, stderr: "" });
    expect(JSON.parse(child.stdout)).toEqual({
      afterImport: 1,
      threads: 1,
      results: ["Hello! You said: one", "Hello! You said: two", "Hello! You said: still"],
      afterClose: "CLIENT_CLOSED",
    });
  });

  it.each(["module", "commonjs"] as const)("lets a process that imports it and makes no client end by itself, printing nothing (%s)", (kind) => {
    const child = run(kind === "module" ? `await import("noukai/blocking");` : `require("noukai/blocking");`, kind);
    expect(child).toEqual({ status: 0, signal: null, stdout: "", stderr: "" });
  });

  it("lets a process end by itself after a call, without close()", () => {
    const child = run(`
      const { Noukai } = await import("noukai/blocking");
      console.log(new Noukai(${options()}).flow("hello").execute({ message: "bye" }).result);
    `);
    expect(child).toEqual({ status: 0, signal: null, stdout: "Hello! You said: bye\n", stderr: "" });
  });

  describe("when its I/O thread fails to start", () => {
    // A copy of the built package whose worker script throws as it starts.
    let copy = "";
    afterAll(async () => {
      if (copy !== "") await rm(copy, { recursive: true, force: true });
    });

    it("reports it on the first call as WORKER_LOST, as the main entry's client does, and the process still ends by itself", async () => {
      copy = await mkdtemp(join(tmpdir(), "noukai-blocking-"));
      const exports = { ".": "./dist/index.js", "./blocking": "./dist/blocking-entry.js" };
      await writeFile(join(copy, "package.json"), JSON.stringify({ name: "noukai", type: "module", exports }));
      const dist = join(root, "dist");
      await mkdir(join(copy, "dist"));
      for (const file of await readdir(dist)) {
        if (/\.(c?js)$/.test(file)) await copyFile(join(dist, file), join(copy, "dist", file));
      }
      await copyFile(crashingWorker, join(copy, "dist", "sync-worker.cjs"));
      const failure = (entry: string) =>
        run(
          `
          const { Noukai } = await import("${entry}");
          const client = new Noukai(${options()});
          // The thread's failure reaches this thread as an event, once it is free to take it.
          await new Promise((resolve) => setTimeout(resolve, 500));
          try {
            client.flow("hello").execute({ message: "x" });
          } catch (error) {
            console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));
          }
        `,
          "module",
          copy,
        );
      const expected = {
        name: "APIConnectionError",
        code: "WORKER_LOST",
        message: "The blocking client's I/O worker stopped answering: the I/O worker failed to start.",
      };
      for (const entry of ["noukai/blocking", "noukai"]) {
        const child = failure(entry);
        expect(child).toMatchObject({ status: 0, signal: null, stderr: "" });
        expect({ entry, failure: JSON.parse(child.stdout) as unknown }).toEqual({ entry, failure: expected });
      }
    });
  });
});
