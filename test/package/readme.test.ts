import { readFile } from "node:fs/promises";
import { validateFlow } from "noukai/server";
import { describe, expect, it } from "vitest";

const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");

describe("the README that ships in the package", () => {
  it("gives the two commands literally", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm ci && npm test");
  });

  it("shows a valid flow file", () => {
    const example = /```json\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? "";
    expect(validateFlow(JSON.parse(example), "README.md")).toEqual([]);
  });

  it("links to the benchmark and reliability reports and the server's README", () => {
    for (const link of ["(BENCHMARKS.md)", "(RELIABILITY.md)", "(src/server/README.md)"]) expect(readme).toContain(link);
  });
});
