import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startServer, type RunningServer } from "noukai/server";
import { publint } from "publint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOCKING_CJS_CONSUMER, BLOCKING_ESM_CONSUMER, CJS_CONSUMER, ESM_CONSUMER } from "./consumer-scripts.js";

/**
 * The package as users get it: a fresh clone of the committed HEAD (not this
 * working tree's dist/), `npm ci` and `npm pack` there (the prepack script
 * builds), the tarball installed into a new project, imported with `import`
 * and with `require`, type-checked, and its bin run.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const exec = promisify(execFile);
const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };
const SLOW = 420_000;

// Nested npm commands must not inherit the settings npm gives the test run (its prefix, its scripts).
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")));
const npm = (args: string[], cwd: string) => exec("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], { cwd, env: cleanEnv, maxBuffer: 64 * 1024 * 1024 });

let work = "";
let project = "";
let tarball = "";
let server: RunningServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "noukai-package-"));
  const clone = join(work, "clone");
  // What a fresh clone holds: the committed files only, no dist/.
  await exec("git", ["clone", "--quiet", "--depth", "1", `file://${root}`, clone]);
  // The dependencies come from the npm cache that `npm ci` filled, else from the registry.
  await npm(["ci", "--ignore-scripts"], clone);
  const packed = await npm(["pack", "--json", "--pack-destination", work], clone);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarball = join(work, filename);
  await rm(clone, { recursive: true, force: true });
  project = join(work, "consumer");
  await mkdir(project);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  await npm(["install", tarball], project);
  server = await startServer({ port: 0 });
}, SLOW);

afterAll(async () => {
  await server?.close();
  if (work !== "") await rm(work, { recursive: true, force: true });
});

const node = (file: string) => exec(process.execPath, [file], { cwd: project, env: cleanEnv, timeout: 60_000 });
const bin = (...args: string[]) => exec(join(project, "node_modules", ".bin", "noukai"), args, { cwd: project, env: cleanEnv, timeout: 60_000 });

describe("the npm package", () => {
  it("holds the ESM and CommonJS builds, their declarations, the browser build, the bin and the flow schema", async () => {
    const listed = await exec("tar", ["-tzf", tarball]);
    const files = listed.stdout.trim().split("\n").map((file) => file.replace(/^package\//, ""));
    for (const file of [
      "package.json", "README.md", "LICENSE", "CHANGELOG.md", "schema/flow.schema.json",
      "src/server/README.md", "BENCHMARKS.md", "RELIABILITY.md",
      "dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/index.browser.js",
      "dist/server.js", "dist/server.cjs", "dist/server.d.ts", "dist/server.d.cts",
      "dist/cli.js", "dist/server-worker.js", "dist/sync-worker.cjs",
      "dist/blocking-entry.js", "dist/blocking-entry.cjs", "dist/blocking.d.ts", "dist/blocking.d.cts",
    ]) {
      expect(files).toContain(file);
    }
    // The READMEs are the only files of src/ that ship: the references of flow files, templates and faults, and of the web adapters.
    const docs = ["src/server/README.md", "src/web/README.md"];
    expect(files.filter((file) => (file.startsWith("src/") && !docs.includes(file)) || file.startsWith("test/") || file.startsWith("scripts/"))).toEqual([]);
    // The relay examples the README points to ship too.
    expect(files).toContain("examples/relay-express/server.ts");
  });

  it("ships every file its READMEs link to", async () => {
    const installed = join(project, "node_modules", "noukai");
    for (const doc of ["README.md", "src/server/README.md", "src/web/README.md"]) {
      const text = await readFile(join(installed, doc), "utf8");
      const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1] ?? "").filter((link) => !/^[a-z]+:/.test(link));
      if (doc !== "src/web/README.md") expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        const target = join(installed, dirname(doc), link);
        expect({ doc, link, shipped: await stat(target).then(() => true, () => false) }).toEqual({ doc, link, shipped: true });
      }
    }
  });

  it("declares what it needs: engines that undici and the CLI's libraries accept, a license file, a changelog entry", async () => {
    const installed = join(project, "node_modules");
    const own = JSON.parse(await readFile(join(installed, "noukai", "package.json"), "utf8")) as { engines: { node: string }; dependencies: Record<string, string> };
    const floor = (range: string) => (/>=\s*(\d+)\.(\d+)/.exec(range) ?? []).slice(1).map(Number);
    for (const name of Object.keys(own.dependencies)) {
      const dep = JSON.parse(await readFile(join(installed, name, "package.json"), "utf8")) as { engines?: { node?: string } };
      const needed = dep.engines?.node === undefined ? [0, 0] : floor(dep.engines.node);
      const [major = 0, minor = 0] = floor(own.engines.node);
      const [needMajor = 0, needMinor = 0] = needed;
      expect({ name, ok: major > needMajor || (major === needMajor && minor >= needMinor) }).toEqual({ name, ok: true });
    }
    expect(await readFile(join(installed, "noukai", "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(await readFile(join(installed, "noukai", "CHANGELOG.md"), "utf8")).toContain(`## ${pkg.version}`);
  });

  it("type-checks a consumer's file with @types/node, as the README says it needs", async () => {
    await writeFile(
      join(project, "typed.ts"),
      [
        'import { AsyncNoukai, FlowNotFoundError, type ExecuteResult } from "noukai";',
        'import { startServer, type ServerOptions } from "noukai/server";',
        'import { Noukai, NoukaiError, type ExecuteResult as BlockingResult, type SyncStreamEvent } from "noukai/blocking";',
        'import { Noukai as MainNoukai } from "noukai";',
        "const options: ServerOptions = { port: 0 };",
        "// noukai/blocking's client is the main entry's: either type takes the other.",
        "export function blockingCall(client: MainNoukai): BlockingResult | { requiresToolCalls: true } {",
        '  const same: Noukai = client;',
        '  const events: SyncStreamEvent[] = [...same.flow("examples/demo/hello").events({ message: "typed" })];',
        '  if (events.length === 0) throw new NoukaiError("no events");',
        '  return same.flow("examples/demo/hello").execute({ message: "typed" });',
        "}",
        "export async function hello(): Promise<string> {",
        "  const server = await startServer(options);",
        '  const client = new AsyncNoukai({ apiKey: "nk_typed", baseUrl: server.baseUrl });',
        '  const result: ExecuteResult | { requiresToolCalls: true } = await client.flow("examples/demo/hello").execute({ message: "typed" });',
        "  await server.close();",
        "  return result.requiresToolCalls ? \"paused\" : String(FlowNotFoundError.name);",
        "}",
      ].join("\n"),
    );
    const tsconfig = {
      compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: ["node"], typeRoots: [join(root, "node_modules", "@types")], skipLibCheck: false },
      files: ["typed.ts"],
    };
    await writeFile(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = await exec(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: project, env: cleanEnv }).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(tsc).toBe("");
  }, 120_000);

  it("passes publint and Are the Types Wrong with nothing to report", async () => {
    const data = await readFile(tarball);
    const { messages } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, strict: true });
    expect(messages).toEqual([]);
    const attw = await exec(join(root, "node_modules", ".bin", "attw"), [tarball, "--format", "json", "--no-definitely-typed"], { env: cleanEnv });
    expect((JSON.parse(attw.stdout) as { problems: unknown }).problems).toEqual({});
  }, SLOW);

  it.each([
    ["import", "esm.mjs", ESM_CONSUMER, "esm"],
    ["require", "cjs.cjs", CJS_CONSUMER, "cjs"],
  ])("works with %s: both clients against the local server, then the process ends by itself", async (_how, file, source, kind) => {
    await writeFile(join(project, file), source);
    const { stdout } = await node(file);
    expect(JSON.parse(stdout)).toEqual({
      version: pkg.version,
      results: [`Hello! You said: ${kind}`, `Hello! You said: ${kind}, blocking`],
      notFound: "FLOW_NOT_FOUND",
    });
  });

  it.each([
    ["import", "blocking-esm.mjs", BLOCKING_ESM_CONSUMER, "esm"],
    ["require", "blocking-cjs.cjs", BLOCKING_CJS_CONSUMER, "cjs"],
  ])("noukai/blocking works with %s: a call and its errors against the local server, then the process ends by itself", async (_how, file, source, kind) => {
    await writeFile(join(project, file), source);
    const { stdout } = await node(file);
    expect(JSON.parse(stdout)).toEqual({ version: pkg.version, result: `Hello! You said: ${kind}, blocking entry`, notFound: "FLOW_NOT_FOUND" });
  });

  it.each([
    ["import", "http-stack.mjs", 'const { AsyncNoukai, Noukai } = await import("noukai");'],
    ["require", "http-stack.cjs", 'const { AsyncNoukai, Noukai } = require("noukai");'],
  ])("loaded with %s, loads no HTTP stack of its own: not the blocking client's thread, not node:https for an http: server", async (_how, file, load) => {
    const source = `(async () => {
      const loaded = () => ["http", "https"].filter((name) => process.moduleLoadList.includes("NativeModule " + name));
      ${load}
      const stages = { imported: loaded() };
      const options = { apiKey: "nk_package_test", baseUrl: ${JSON.stringify(server.baseUrl)} };
      const blocking = new Noukai(options);
      blocking.flow("examples/demo/hello").execute({ message: "x" });
      blocking.close();
      stages.blocking = loaded();
      const client = new AsyncNoukai(options);
      await client.flow("examples/demo/hello").execute({ message: "x" });
      await client.close();
      stages.async = loaded();
      console.log(JSON.stringify(stages));
    })();`;
    await writeFile(join(project, file), source);
    // The blocking client's requests go out from its I/O thread, which loads its own modules.
    expect(JSON.parse((await node(file)).stdout)).toEqual({ imported: [], blocking: [], async: ["http"] });
  });

  it("without its optional peer @opentelemetry/api, refuses otel: true at construction, saying what to install; with it, takes it", async () => {
    const attempt = (load: string) => `${load}
      try {
        new AsyncNoukai({ apiKey: "nk_package_test", otel: true });
        console.log("constructed");
      } catch (error) {
        console.log(error.name + ": " + error.message);
      }`;
    await writeFile(join(project, "otel-missing.mjs"), attempt('import { AsyncNoukai } from "noukai";'));
    await writeFile(join(project, "otel-missing.cjs"), attempt('const { AsyncNoukai } = require("noukai");'));
    for (const file of ["otel-missing.mjs", "otel-missing.cjs"]) {
      expect((await node(file)).stdout).toMatch(/^ValueError: new AsyncNoukai\(\) was asked for OpenTelemetry spans, which need @opentelemetry\/api .*npm install @opentelemetry\/api/);
    }
    await exec("npm", ["install", "@opentelemetry/api@1.9.1", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: project, env: cleanEnv });
    for (const file of ["otel-missing.mjs", "otel-missing.cjs"]) expect((await node(file)).stdout).toBe("constructed\n");
  }, SLOW);

  it("installs the noukai bin: --help, --version, a run against the local server, npx", async () => {
    expect((await bin("--help")).stdout).toMatch(/^Usage: noukai <command>/);
    expect((await bin("--version")).stdout).toBe(`${pkg.version}\n`);
    const run = await bin("run", "examples/demo/hello", "-m", "from the bin", "--base-url", server.baseUrl, "--api-key", "nk_package_test");
    expect(run).toEqual({ stdout: "Hello! You said: from the bin\n", stderr: "" });
    const npx = await exec("npx", ["--no", "--", "noukai", "--version"], { cwd: project, env: cleanEnv });
    expect(npx.stdout).toBe(`${pkg.version}\n`);
  });

  it("the bin prints one line on stderr and sets the exit code", async () => {
    const failed = await bin("run", "examples/demo/missing", "-m", "x", "--base-url", server.baseUrl, "--api-key", "nk_package_test").then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 4, stdout: "" });
    expect(failed?.stderr).toMatch(/^noukai: FlowNotFoundError \(FLOW_NOT_FOUND, request req_\w+\): HTTP 404 [^\n]*\n$/);
  });

  it("the bin stops quietly (141) when the pipe it writes to closes", async () => {
    const child = spawn(join(project, "node_modules", ".bin", "noukai"), ["events", "examples/demo/slow", "-m", "x", "--base-url", server.baseUrl, "--api-key", "nk_package_test"], {
      cwd: project,
      env: cleanEnv,
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // Like `| head -1`: read the first event, then close the pipe while the run goes on.
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
    expect({ code, stderr }).toEqual({ code: 141, stderr: "" });
  });

  it("the bin cancels its call on Ctrl-C (SIGINT) and exits 130", async () => {
    const child = spawn(join(project, "node_modules", ".bin", "noukai"), ["run", "examples/demo/slow", "-m", "x", "--json", "--base-url", server.baseUrl, "--api-key", "nk_package_test"], {
      cwd: project,
      env: cleanEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // The first step's line shows the run is under way (and the handlers are installed): press Ctrl-C then.
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
    expect(code).toBe(130);
    expect(stderr).toBe("noukai: cancelled (SIGINT)\n");
    expect(stdout.trim().split("\n")).toHaveLength(1);
  });
});
