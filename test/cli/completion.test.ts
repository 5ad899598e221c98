import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const run = promisify(execFile);

/** What bash offers after `words` (the last one being completed), with the script noukai prints loaded. */
async function bashOffers(script: string, words: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "noukai-completion-"));
  try {
    const file = join(dir, "noukai.bash");
    await writeFile(file, script);
    const line = ["noukai", ...words].map((word) => `'${word}'`).join(" ");
    const probe = `source '${file}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _noukai; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout } = await run("bash", ["--norc", "--noprofile", "-c", probe], { cwd: dir });
    return stdout.split("\n").filter((word) => word !== "");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("noukai completion", () => {
  it("completes commands, actions and flags in bash", async () => {
    const bash = await cli(["completion", "bash"]);
    expect(bash.code).toBe(0);
    expect(await bashOffers(bash.stdout, ["r"])).toEqual(["run"]);
    expect(await bashOffers(bash.stdout, ["lo"])).toEqual(["login", "logout"]);
    expect(await bashOffers(bash.stdout, ["job", "s"])).toEqual(["submit", "status"]);
    expect(await bashOffers(bash.stdout, ["run", "a/b/c", "--me"])).toEqual(["--message", "--messages"]);
    expect(await bashOffers(bash.stdout, ["--dev", "run", "a/b/c", "--js"])).toEqual(["--json"]);
    expect(await bashOffers(bash.stdout, ["--base-url", "http://x/api/v1", "trace", "a/b/c", "id", "--li"])).toEqual(["--live"]);
    expect(await bashOffers(bash.stdout, ["dev", "--qu"])).toEqual(["--quiet"]);
  });

  it("completes commands, actions and flags in fish, and gives zsh a script it parses (zsh and fish: .ci/install-shells)", async () => {
    const fish = await cli(["completion", "fish"]);
    const dir = await mkdtemp(join(tmpdir(), "noukai-completion-"));
    try {
      await writeFile(join(dir, "noukai.fish"), fish.stdout);
      const offers = async (line: string) => (await run("fish", ["--no-config", "-c", `source '${join(dir, "noukai.fish")}'; complete -C '${line}'`])).stdout.split("\n").filter(Boolean);
      expect(await offers("noukai ru")).toEqual(["run\trun a flow and print its result"]);
      expect(await offers("noukai run a/b/c --me")).toEqual(["--message", "--messages"]);
      expect(await offers("noukai job s")).toEqual(["status", "submit"]);
      await writeFile(join(dir, "_noukai"), (await cli(["completion", "zsh"])).stdout);
      await run("zsh", ["--no-rcs", "-n", join(dir, "_noukai")]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("prints zsh and fish scripts naming every command and flag", async () => {
    const zsh = await cli(["completion", "zsh"]);
    expect(zsh.stdout.split("\n")[0]).toBe("#compdef noukai");
    expect(zsh.stdout).toContain("'flows:the flows a local server serves'");
    expect(zsh.stdout).toMatch(/run\)\n\s+compadd -- .*--message /);
    const fish = await cli(["completion", "fish"]);
    expect(fish.stdout).toContain("complete -c noukai -n __fish_use_subcommand -a login -d 'store an API key for a server'");
    expect(fish.stdout).toContain("complete -c noukai -n '__fish_seen_subcommand_from run' -l messages -r -F");
    expect(fish.stdout).toContain("complete -c noukai -n '__fish_seen_subcommand_from job' -a 'submit status wait'");
  });

  it("names the shells it knows", async () => {
    expect(await cli(["completion"])).toMatchObject({ code: 2, err: ["noukai: noukai completion takes bash, zsh, fish (see noukai completion --help)"] });
    expect((await cli(["completion", "bsh"])).err[0]).toMatch(/has no action "bsh" \(did you mean bash\?\)/);
  });
});
