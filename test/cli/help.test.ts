import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };

describe("noukai --help and --version", () => {
  it("prints the version", async () => {
    for (const flag of ["--version", "-v"]) expect(await cli([flag])).toMatchObject({ code: 0, stdout: pkg.version });
  });

  it("lists the commands, and exits 2 when no command is given", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["run <flow>", "events <flow>", "job submit", "job status", "job wait", "trace <flow> <id>", "flows", "login / logout", "completion bash|zsh|fish", "dev"]) {
      expect(help.stdout).toContain(command);
    }
    expect(help.stdout).toContain("Exit codes: 0 ok");
    expect((await cli([])).code).toBe(2);
  });

  it.each([
    [["run", "--help"], "Usage: noukai run <org/project/slug>"],
    [["events", "-h"], "Usage: noukai events <org/project/slug>"],
    [["job", "--help"], "Usage: noukai job submit"],
    [["job", "wait", "--help"], "Usage: noukai job submit"],
    [["trace", "--help"], "Usage: noukai trace <org/project/slug> <executionId>"],
    [["dev", "--help"], "Usage: noukai dev"],
    [["flows", "--help"], "Usage: noukai flows"],
    [["login", "--help"], "Usage: noukai login"],
    [["logout", "--help"], "Usage: noukai logout"],
    [["completion", "--help"], "Usage: noukai completion"],
    [["help", "run"], "Usage: noukai run"],
    [["help", "dev"], "Usage: noukai dev"],
  ])("%j prints the command's help and exits 0", async (argv, usage) => {
    const run = await cli(argv);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout.startsWith(usage)).toBe(true);
    if (!argv.includes("dev") && !argv.includes("completion")) expect(run.stdout).toContain("--base-url URL");
  });

  it("help of something that is no command prints the general help", async () => {
    const run = await cli(["help", "toString"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout.startsWith("Usage: noukai <command>")).toBe(true);
  });
});
