import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { builtInFlows } from "../../src/server/flows/built-in.js";
import { loadFlowsFromDir } from "../../src/server/flows/loader.js";
import { formatProblem, validateFlow } from "../../src/server/flows/validate.js";
import { call, makeApp } from "./helpers.js";

const valid = { org: "acme", project: "support", slug: "triage", draft: { steps: [{ id: "classify", template: "{{message}}" }] } };
const dirs: string[] = [];

async function dirWith(files: Record<string, string | object>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "noukai-flows-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("flow validation", () => {
  it("accepts the built-in examples", () => {
    expect(builtInFlows().map((flow) => flow.slug)).toEqual(["hello", "two-step", "weather", "slow", "broken", "retry-loop", "research"]);
  });

  it("accepts the full example of the server README", async () => {
    const readme = await readFile(new URL("../../src/server/README.md", import.meta.url), "utf8");
    const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(validateFlow(JSON.parse(example), "README.md")).toEqual([]);
  });

  it.each([
    [{ ...valid, slug: undefined }, "/slug", "required field is missing"],
    [{ ...valid, colour: "red" }, "/colour", "unknown field"],
    [{ ...valid, slug: "a/b" }, "/slug", "must be an identifier"],
    [{ ...valid, draft: { steps: [] } }, "/draft/steps", "must NOT have fewer than 1 items"],
    [{ ...valid, draft: { steps: [{ id: "a", latencyMs: -1 }] } }, "/draft/steps/0/latencyMs", "must be >= 0"],
    [{ ...valid, draft: { steps: [{ id: "a" }, { id: "a" }] } }, "/draft/steps/1/id", 'duplicate step id "a"'],
    [{ ...valid, draft: { steps: [{ id: "a", template: "{{message | shout}}" }] } }, "/draft/steps/0/template", 'unknown template filter "shout"'],
    [{ ...valid, production: 2 }, "/production", "version 2 is not among the published versions"],
    [{ ...valid, draft: { steps: [{ id: "a", template: "echo {{mesage}}" }] } }, "/draft/steps/0/template", 'unknown template variable "mesage" (did you mean "message"?)'],
    [{ ...valid, draft: { steps: [{ id: "a", template: { deep: ["{{customer}}"] } }] } }, "/draft/steps/0/template", "a variable a caller sends in inputOverrides is input.customer"],
    [{ ...valid, draft: { steps: [{ id: "a", template: "{{loop.idx}}" }] } }, "/draft/steps/0/template", '"loop" has no field "idx" (did you mean "index"?) (it has index, count)'],
    [
      { ...valid, draft: { steps: [{ id: "outline" }, { id: "write", template: "{{steps.outlien}} {{steps.write}}" }] } },
      "/draft/steps/1/template",
      '"steps.outlien" names no earlier step (did you mean "outline"?) (earlier steps: outline)',
    ],
    [{ ...valid, draft: { steps: [{ id: "a", tools: { calls: [{ name: "f", arguments: { q: "{{tool.reslts}}" } }], template: "x" } }] } }, "/draft/steps/0/tools/calls/0/arguments", '"tool" has no field "reslts"'],
    [
      { ...valid, draft: { steps: [{ id: "a", loop: { count: 2 }, tools: { calls: [{ name: "f" }], template: "x" } }] } },
      "/draft/steps/0/loop",
      "not allowed on a tool-calling step",
    ],
    [{ ...valid, draft: { steps: [{ id: "a", failAttempts: 2, retries: 1 }] } }, "/draft/steps/0/failAttempts", "exceeds retries"],
  ])("names the file and the field: %#", (flow, pointer, message) => {
    const problems = validateFlow(flow, "flows/triage.json").map(formatProblem);
    expect(problems.find((problem) => problem.startsWith(`flows/triage.json: ${pointer}: `) && problem.includes(message))).toBeDefined();
  });
});

describe("loadFlowsFromDir", () => {
  it("loads every *.json file and serves it beside the examples (overriding one)", async () => {
    const hello = { org: "examples", project: "demo", slug: "hello", draft: { steps: [{ id: "x", template: "overridden {{message}}" }] } };
    const dir = await dirWith({ "a.json": valid, "b.json": hello, "notes.txt": "ignored" });
    const flows = await loadFlowsFromDir(dir);
    expect(flows.map((f) => f.slug)).toEqual(["triage", "hello"]);
    const app = makeApp({ flows });
    expect((await call(app, "/seq/acme/support/triage/execute", { body: { message: "m" } })).json.result).toBe("m");
    expect((await call(app, "/seq/examples/demo/hello/execute", { body: { message: "m" } })).json.result).toBe("overridden m");
  });

  it("reports every problem of every file at once", async () => {
    const dir = await dirWith({ "bad.json": "{ nope", "dup1.json": valid, "dup2.json": valid, "wrong.json": { ...valid, slug: "" } });
    const error = await loadFlowsFromDir(dir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toBe("FlowValidationError");
    const lines = error?.message.split("\n") ?? [];
    expect(lines[0]).toMatch(new RegExp(`^${join(dir, "bad.json")}: /: not valid JSON`));
    expect(lines).toContain(`${join(dir, "dup2.json")}: /slug: flow acme/support/triage is already defined in ${join(dir, "dup1.json")}`);
    expect(lines).toContain(`${join(dir, "wrong.json")}: /slug: must NOT have fewer than 1 characters`);
  });

  it("names a missing directory", async () => {
    await expect(loadFlowsFromDir("/no/such/dir")).rejects.toThrow(/\/no\/such\/dir: \/: cannot read the flows directory/);
  });
});
