import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { cli, KEY } from "./helpers.js";

/** `noukai login` / `logout`: a key kept in a file only the user may read, used when no flag or variable gives one. */
const locked = useLocalServer({ apiKeys: [{ key: KEY }] });
let home: string;
let env: Record<string, string>;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "noukai-login-"));
  // As on a user's machine: no NOUKAI_CONFIG_DIR, the config under $XDG_CONFIG_HOME.
  env = { NOUKAI_CONFIG_DIR: "", XDG_CONFIG_HOME: join(home, "xdg"), HOME: home };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const hello = (...flags: string[]) => cli(["run", "examples/demo/hello", "-m", "stored", ...flags], { env });

describe("noukai login and logout", () => {
  it("stores the key read from standard input, readable by the user only, and uses it for that server only", async () => {
    expect((await hello("--base-url", locked.baseUrl)).code).toBe(3);
    const login = await cli(["login", "--base-url", locked.baseUrl], { env, stdin: `${KEY}\n` });
    const file = join(home, "xdg", "noukai", "credentials.json");
    expect(login).toMatchObject({ code: 0, out: [`stored the key for ${locked.baseUrl} in ${file} (readable by you only)`] });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "xdg", "noukai"))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ keys: { [locked.baseUrl]: KEY } });

    expect(await hello("--base-url", locked.baseUrl)).toMatchObject({ code: 0, stdout: "Hello! You said: stored" });
    // Another API root never gets it.
    const other = locked.baseUrl.replace("127.0.0.1", "localhost");
    expect((await hello("--base-url", other)).err[0]).toMatch(/^noukai: AuthenticationError \(MISSING_API_KEY\): no API key for localhost:\d+; run noukai login --base-url /);
    // A flag or NOUKAI_API_KEY still wins over the stored key.
    expect((await hello("--base-url", locked.baseUrl, "--api-key", "nk_wrong")).code).toBe(3);
    expect((await cli(["run", "examples/demo/hello", "-m", "x", "--base-url", locked.baseUrl], { env: { ...env, NOUKAI_API_KEY: "nk_wrong" } })).code).toBe(3);
  });

  it("asks on a terminal without showing the key, falls back to ~/.config, and answers --json", async () => {
    const plainEnv = { NOUKAI_CONFIG_DIR: "", HOME: home };
    const login = await cli(["login", "--base-url", locked.baseUrl, "--json"], { env: plainEnv, secret: KEY });
    expect(login.err).toEqual([`API key for ${locked.baseUrl} (not shown): `]);
    expect(JSON.parse(login.stdout)).toEqual({ baseUrl: locked.baseUrl, file: join(home, ".config", "noukai", "credentials.json"), stored: true });
    expect(login.stdout).not.toContain(KEY);
  });

  it("refuses what is not a key, storing nothing", async () => {
    for (const stdin of ["", "sk_live_123", "nk_has space"]) {
      const login = await cli(["login", "--base-url", locked.baseUrl], { env, stdin });
      expect(login.code).toBe(2);
    }
    await expect(stat(join(home, "xdg", "noukai", "credentials.json"))).rejects.toThrow();
  });

  it("forgets the key of one server, or of all with --all", async () => {
    await cli(["login", "--base-url", locked.baseUrl], { env, stdin: KEY });
    await cli(["login", "--dev"], { env, stdin: "nk_for_dev" });
    expect(await cli(["logout", "--base-url", locked.baseUrl], { env })).toMatchObject({ code: 0, out: [`removed the key for ${locked.baseUrl}`] });
    expect((await hello("--base-url", locked.baseUrl)).code).toBe(3);
    expect(await cli(["logout", "--base-url", locked.baseUrl], { env })).toMatchObject({ code: 0, out: [`no key was stored for ${locked.baseUrl}`] });
    expect(await cli(["logout", "--all", "--json"], { env })).toMatchObject({ code: 0, out: [JSON.stringify({ removed: ["http://localhost:8080/api/v1"], file: join(home, "xdg", "noukai", "credentials.json") })] });
    await expect(stat(join(home, "xdg", "noukai", "credentials.json"))).rejects.toThrow();
  });
});
