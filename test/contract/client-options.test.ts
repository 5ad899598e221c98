import { AuthenticationError, NoukaiError, ValueError } from "noukai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";

const local = useLocalServer();
// Accepts nk_dev only: a call that succeeds sent that key.
const devOnly = useLocalServer({ apiKeys: [{ key: "nk_dev" }] });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe.each(CLIENT_KINDS)("%s options", (kind) => {
  it("refuses a missing key, or one without the nk_ prefix, at construction", () => {
    vi.stubEnv("NOUKAI_API_KEY", "");
    expect(() => makeClient(kind, {})).toThrow(AuthenticationError);
    expect(() => makeClient(kind, {})).toThrow(/NOUKAI_API_KEY/);
    expect(() => makeClient(kind, { apiKey: "sk_live_123" })).toThrow(/must start with "nk_"/);
    const error = (() => {
      try {
        makeClient(kind, { apiKey: "sk_live_123" });
      } catch (caught) {
        return caught as AuthenticationError;
      }
    })();
    expect(error).toBeInstanceOf(NoukaiError);
    expect(error?.message).not.toContain("sk_live_123");
  });

  it("takes the key from NOUKAI_API_KEY", async () => {
    vi.stubEnv("NOUKAI_API_KEY", TEST_KEY);
    const client = makeClient(kind, { baseUrl: local.baseUrl });
    const result = await client.flow("examples/demo/hello").execute({ message: "from env" });
    expect(result.status).toBe("completed");
    await client.close();
  });

  it("sends nk_dev when the environment is dev and no key is given (NOUKAI_ENV=dev or env: \"dev\"), as the command line does", async () => {
    vi.stubEnv("NOUKAI_API_KEY", "");
    vi.stubEnv("NOUKAI_ENV", "dev");
    const fromEnv = makeClient(kind, { baseUrl: devOnly.baseUrl });
    expect(await fromEnv.flow("examples/demo/hello").execute({ message: "dev" })).toMatchObject({ status: "completed" });
    await fromEnv.close();
    vi.stubEnv("NOUKAI_ENV", "");
    const fromOption = makeClient(kind, { env: "development" });
    await fromOption.close();
    // Production still demands a key, and a given key always wins.
    vi.stubEnv("NOUKAI_ENV", "production");
    expect(() => makeClient(kind, { baseUrl: devOnly.baseUrl })).toThrow(/NOUKAI_ENV=dev/);
    vi.stubEnv("NOUKAI_ENV", "dev");
    const given = makeClient(kind, { apiKey: TEST_KEY, baseUrl: devOnly.baseUrl });
    await expect(Promise.resolve().then(async () => { await given.flow("examples/demo/hello").execute({ message: "x" }); })).rejects.toMatchObject({ name: "AuthenticationError" });
    await given.close();
  });

  it("takes org and project together or not at all", () => {
    expect(() => makeClient(kind, { apiKey: TEST_KEY, org: "acme" })).toThrow(ValueError);
    expect(() => makeClient(kind, { apiKey: TEST_KEY, project: "x" })).toThrow(/together/);
    const client = makeClient(kind, { apiKey: TEST_KEY, org: "acme", project: "support" });
    expect([client.defaultOrg, client.defaultProject]).toEqual(["acme", "support"]);
    const bare = makeClient(kind, { apiKey: TEST_KEY });
    expect([bare.defaultOrg, bare.defaultProject]).toEqual([null, null]);
  });

  it("refuses an unknown env instead of falling back to production", () => {
    expect(() => makeClient(kind, { apiKey: TEST_KEY, env: "staging" as "dev" })).toThrow(ValueError);
    vi.stubEnv("NOUKAI_ENV", "prod");
    expect(() => makeClient(kind, { apiKey: TEST_KEY })).toThrow(/NOUKAI_ENV must be/);
  });

  it("accepts https base URLs and http only to this machine", () => {
    expect(() => makeClient(kind, { apiKey: TEST_KEY, baseUrl: "https://gateway.example.com/api/v1" })).not.toThrow();
    expect(() => makeClient(kind, { apiKey: TEST_KEY, baseUrl: "http://localhost:9999/api/v1" })).not.toThrow();
    expect(() => makeClient(kind, { apiKey: TEST_KEY, baseUrl: "http://[::1]:9999/api/v1" })).not.toThrow();
    expect(() => makeClient(kind, { apiKey: TEST_KEY, baseUrl: "http://10.0.0.5/api/v1" })).toThrow(/clear text/);
    expect(() => makeClient(kind, { apiKey: TEST_KEY, baseUrl: "ftp://x/y" })).toThrow(ValueError);
    expect(() => makeClient(kind, { apiKey: TEST_KEY, baseUrl: "https://user:pw@x/y" })).toThrow(/credentials/);
    vi.stubEnv("NOUKAI_BASE_URL", "http://example.com/api/v1");
    expect(() => makeClient(kind, { apiKey: TEST_KEY })).toThrow(/NOUKAI_BASE_URL/);
  });

  it("reaches the local server through NOUKAI_BASE_URL", async () => {
    vi.stubEnv("NOUKAI_BASE_URL", local.baseUrl);
    const client = makeClient(kind, { apiKey: TEST_KEY });
    expect((await client.flow("examples/demo/hello").execute({ message: "x" })).status).toBe("completed");
    await client.close();
  });

  it("refuses bad timeouts, retry counts, hooks and unknown options", () => {
    const make = (extra: Record<string, unknown>) => () => makeClient(kind, { apiKey: TEST_KEY, ...extra });
    expect(make({ timeout: 0 })).toThrow(/timeout/);
    expect(make({ timeout: -5 })).toThrow(ValueError);
    expect(make({ maxRetries: 1.5 })).toThrow(/maxRetries/);
    expect(make({ maxRetries: -1 })).toThrow(ValueError);
    expect(make({ onLog: "yes" })).toThrow(TypeError);
    expect(make({ sessionId: "a\r\nb" })).toThrow(/sessionId/);
    expect(make({ apikey: TEST_KEY })).toThrow(/no option "apikey"/);
  });

  it("names flows three ways, and refuses malformed names before any request", async () => {
    const client = makeClient(kind, { apiKey: TEST_KEY, org: "examples", project: "demo", baseUrl: local.baseUrl });
    expect(client.flow("hello")).toMatchObject({ org: "examples", project: "demo", slug: "hello" });
    expect(client.flow("a/b/c")).toMatchObject({ org: "a", project: "b", slug: "c" });
    expect(client.flow({ slug: "weather" })).toMatchObject({ org: "examples", slug: "weather" });
    // Awaiting the flow is allowed (code written for `await client.flow()` keeps working).
    // eslint-disable-next-line @typescript-eslint/await-thenable
    const awaited = await client.flow("hello");
    expect((await awaited.execute({ message: "awaited" })).status).toBe("completed");
    expect(() => client.flow("a/b")).toThrow(ValueError);
    expect(() => client.flow("a/b/c/d")).toThrow(ValueError);
    expect(() => client.flow({ org: "a", project: "b/c", slug: "s" })).toThrow(/project.*"\/"/);
    expect(() => client.flow("a/b/..")).toThrow(/slug must not be ".."/);
    const bare = makeClient(kind, { apiKey: TEST_KEY });
    expect(() => bare.flow("hello")).toThrow(/org and project defaults/);
    await client.close();
  });

  it("exposes no internals: no transport, key or base URL as properties", () => {
    const client = makeClient(kind, { apiKey: TEST_KEY });
    const visible = Object.keys(client).concat(Object.getOwnPropertyNames(Object.getPrototypeOf(client)));
    expect(visible.filter((name) => name.startsWith("_"))).toEqual([]);
    expect(JSON.stringify(client)).not.toContain(TEST_KEY);
  });
});
