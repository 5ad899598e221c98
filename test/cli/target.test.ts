import { describe, expect, it } from "vitest";
import { hintFlags, resolveTarget } from "../../src/cli/connection.js";

/** Where a command's requests go, and the flags a printed follow-up needs to go there again. */
describe("the target of a command", () => {
  it("carries --dev or --base-url into printed commands, quoted for the shell, and nothing the environment named", () => {
    expect(hintFlags(resolveTarget({ dev: true }, {}))).toBe(" --dev");
    expect(hintFlags(resolveTarget({ "base-url": "https://api.example.com/api/v1" }, {}))).toBe(" --base-url https://api.example.com/api/v1");
    expect(hintFlags(resolveTarget({ "base-url": "https://api.example.com/a b/api/v1" }, {}))).toBe(" --base-url 'https://api.example.com/a b/api/v1'");
    expect(hintFlags(resolveTarget({}, { NOUKAI_BASE_URL: "https://api.example.com/api/v1" }))).toBe("");
    expect(hintFlags(resolveTarget({}, { NOUKAI_ENV: "dev" }))).toBe("");
  });

  it("knows a local server from a remote one, and the setting that named it", () => {
    expect(resolveTarget({ dev: true }, {})).toMatchObject({ host: "localhost:8080", isLocal: true, isDev: true, source: "--dev" });
    expect(resolveTarget({}, {})).toMatchObject({ baseUrl: "https://api.noukai.xyz/api/v1", isLocal: false, isDev: false, source: "NOUKAI_ENV" });
    expect(resolveTarget({ "base-url": "http://127.0.0.1:9000/api/v1/" }, {})).toMatchObject({ baseUrl: "http://127.0.0.1:9000/api/v1", isLocal: true });
    expect(resolveTarget({}, { NOUKAI_BASE_URL: "http://[::1]:9000/api/v1" })).toMatchObject({ host: "[::1]:9000", isLocal: true, source: "NOUKAI_BASE_URL" });
  });

  it("refuses a base URL that is not an API root, naming the one meant", () => {
    expect(() => resolveTarget({ "base-url": "https://api.example.com" }, {})).toThrow("--base-url https://api.example.com: the base URL should end in /api/v1 (did you mean https://api.example.com/api/v1?)");
    expect(() => resolveTarget({}, { NOUKAI_BASE_URL: "http://localhost:8080/v1" })).toThrow("NOUKAI_BASE_URL http://localhost:8080/v1: the base URL should end in /api/v1 (did you mean http://localhost:8080/v1/api/v1?)");
    expect(() => resolveTarget({ "base-url": "localhost:8080" }, {})).toThrow(
      "--base-url localhost:8080: the base URL must start with https:// (or http:// to this machine) (did you mean http://localhost:8080/api/v1?)",
    );
    expect(() => resolveTarget({ "base-url": "ftp://example.com/api/v1" }, {})).toThrow(/^--base-url ftp:\/\/example\.com\/api\/v1: the base URL must start with https:\/\/ \(or http:\/\/ to this machine\)$/);
  });
});
