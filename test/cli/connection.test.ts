import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { cli, KEY } from "./helpers.js";

const local = useLocalServer({ apiKeys: [{ key: KEY }] });
const HELLO = ["run", "examples/demo/hello", "-m", "env"];

describe("noukai connection settings", () => {
  it("takes the key and the server from NOUKAI_API_KEY and NOUKAI_BASE_URL", async () => {
    const run = await cli(HELLO, { env: { NOUKAI_API_KEY: KEY, NOUKAI_BASE_URL: local.baseUrl } });
    expect(run).toMatchObject({ code: 0, stdout: "Hello! You said: env" });
  });

  it("lets flags win over the environment, given before or after the command", async () => {
    const env = { NOUKAI_API_KEY: "nk_wrong", NOUKAI_BASE_URL: "https://nowhere.invalid/api/v1" };
    const after = await cli([...HELLO, "--base-url", local.baseUrl, "--api-key", KEY], { env });
    expect(after.stdout).toBe("Hello! You said: env");
    const before = await cli(["--base-url", local.baseUrl, `--api-key=${KEY}`, ...HELLO], { env });
    expect(before.stdout).toBe("Hello! You said: env");
  });

  it("refuses an unknown NOUKAI_ENV and an insecure NOUKAI_BASE_URL", async () => {
    const env = await cli(HELLO, { env: { NOUKAI_API_KEY: KEY, NOUKAI_ENV: "staging" } });
    expect(env).toMatchObject({ code: 2, err: ['noukai: NOUKAI_ENV must be production, dev or development, got "staging"'] });
    const insecure = await cli(HELLO, { env: { NOUKAI_API_KEY: KEY, NOUKAI_BASE_URL: "http://api.example.com/api/v1" } });
    expect(insecure.code).toBe(2);
    expect(insecure.err[0]).toMatch(/^noukai: NOUKAI_BASE_URL: baseUrl uses http: to api\.example\.com/);
  });

  it("reads nothing from the process environment: only what it is given", async () => {
    process.env["NOUKAI_API_KEY"] = KEY;
    try {
      const run = await cli([...HELLO, "--base-url", local.baseUrl]);
      expect(run.code).toBe(3);
    } finally {
      delete process.env["NOUKAI_API_KEY"];
    }
  });
});
