import { hostname } from "node:os";
import { AsyncNoukai } from "noukai";
import { createServerApp, exposureWarnings, listen, type ListeningServer } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../src/cli/main.js";
import { testIo } from "../../cli/helpers.js";
import { KEY, rawRequest } from "./served.js";

/**
 * Rule: the server answers only to Host names a web page cannot rebind to it,
 * and only to web pages it was told to let in; clients outside a browser
 * (which send no Origin) are unaffected. Checked over raw HTTP, where Host
 * and Origin can be set to anything, as an attacker's page would make them.
 */
const EXECUTE = "/api/v1/seq/examples/demo/hello/execute";
const AUTH = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const corsHeaders = (headers: Record<string, unknown>) => Object.keys(headers).filter((name) => name.startsWith("access-control-"));

describe("by default", () => {
  const app = createServerApp();
  let server: ListeningServer;
  beforeAll(async () => {
    server = await listen(app, { port: 0 });
  });
  afterAll(() => server.close());

  it("refuses a foreign page's preflight and requests (403 ORIGIN_NOT_ALLOWED, no CORS headers), and runs nothing", async () => {
    const before = app.stats().executionsStarted;
    const preflight = await rawRequest(server.port, EXECUTE, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.json.detail.code).toBe("ORIGIN_NOT_ALLOWED");
    expect(corsHeaders(preflight.headers)).toEqual([]);
    for (const origin of ["https://evil.example", "null", "http://localhost:3000", "http://127.0.0.1:8080"]) {
      const post = await rawRequest(server.port, EXECUTE, { headers: { ...AUTH, origin }, body: '{"message":"from a page"}' });
      expect([origin, post.status, post.json.detail.code]).toEqual([origin, 403, "ORIGIN_NOT_ALLOWED"]);
      expect(corsHeaders(post.headers)).toEqual([]);
    }
    const read = await rawRequest(server.port, "/api/v1/seq/examples/demo/hello/runs/x/trace", { headers: { ...AUTH, origin: "https://evil.example" } });
    expect(read.status).toBe(403);
    expect(app.stats().executionsStarted).toBe(before);
  });

  it("refuses Host names a page could rebind (403 HOST_NOT_ALLOWED) and answers loopback names and IP addresses", async () => {
    const port = server.port;
    for (const host of ["rebind.evil.example", `rebind.evil.example:${port}`, "localhost.evil.example", "evil.localhost", "127.0.0.1.nip.io", "a b", "[::1"]) {
      const answer = await rawRequest(port, EXECUTE, { headers: { ...AUTH, host }, body: '{"message":"rebound"}' });
      expect([host, answer.status, answer.json?.detail?.code]).toEqual([host, 403, "HOST_NOT_ALLOWED"]);
    }
    for (const host of [`localhost:${port}`, "LOCALHOST.", `127.0.0.1:${port}`, "127.0.0.2", `[::1]:${port}`, "10.1.2.3"]) {
      const answer = await rawRequest(port, EXECUTE, { headers: { ...AUTH, host }, body: '{"message":"local"}' });
      expect([host, answer.status]).toEqual([host, 200]);
    }
  });

  it("serves clients outside a browser, which send no Origin", async () => {
    const client = new AsyncNoukai({ apiKey: KEY, baseUrl: server.baseUrl, maxRetries: 0 });
    expect((await client.flow("examples/demo/hello").execute({ message: "node" })).status).toBe("completed");
    await client.close();
    const plain = await fetch(`${server.baseUrl}/seq/examples/demo/hello/execute`, { method: "POST", headers: AUTH, body: '{"message":"fetch"}' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("with explicit opt-ins", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await listen(createServerApp({ cors: ["https://app.example.test", "http://localhost:5173"], allowedHosts: ["dev.example.test", ".localhost"] }), { port: 0 });
  });
  afterAll(() => server.close());

  it("answers a listed origin's preflight and requests with its CORS headers", async () => {
    const origin = "https://app.example.test";
    const preflight = await rawRequest(server.port, EXECUTE, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-private-network": "true" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ "access-control-allow-origin": origin, "access-control-allow-private-network": "true", vary: "Origin" });
    expect(preflight.headers["access-control-allow-headers"]).toContain("Authorization");
    const post = await rawRequest(server.port, EXECUTE, { headers: { ...AUTH, origin: "http://localhost:5173" }, body: '{"message":"page"}' });
    expect(post.status).toBe(200);
    expect(post.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    expect((await rawRequest(server.port, EXECUTE, { headers: { ...AUTH, origin: "https://other.example.test" }, body: "{}" })).status).toBe(403);
  });

  it("answers listed Host names and domains", async () => {
    for (const host of ["dev.example.test", "api.localhost:8080", "localhost"]) {
      expect((await rawRequest(server.port, EXECUTE, { headers: { ...AUTH, host }, body: '{"message":"m"}' })).status).toBe(200);
    }
    expect((await rawRequest(server.port, EXECUTE, { headers: { ...AUTH, host: "x.dev.example.test" }, body: '{"message":"m"}' })).status).toBe(403);
  });

  it("lets every page in with cors *, and says why that is risky", async () => {
    const open = await listen(createServerApp({ cors: ["*"] }), { port: 0 });
    const post = await rawRequest(open.port, EXECUTE, { headers: { ...AUTH, origin: "https://anyone.example" }, body: '{"message":"m"}' });
    expect([post.status, post.headers["access-control-allow-origin"]]).toEqual([200, "*"]);
    await open.close();
    expect(exposureWarnings({ host: "127.0.0.1", cors: ["*"] }).join()).toContain("every web page");
  });

  it("refuses option values that are not origins or host names", () => {
    expect(() => createServerApp({ cors: ["https://app.example.test/path"] })).toThrow(/has a path/);
    expect(() => createServerApp({ cors: ["ftp://x"] })).toThrow(/not a web origin/);
    expect(() => createServerApp({ allowedHosts: ["a b"] })).toThrow(/not a host name/);
  });
});

describe("bound beyond loopback", () => {
  it("answers this machine's own name, and warns when no API key is required", async () => {
    const server = await listen(createServerApp(), { port: 0, host: "0.0.0.0" });
    try {
      const answer = await rawRequest(server.port, EXECUTE, { headers: { ...AUTH, host: `${hostname()}:${server.port}` }, body: '{"message":"lan"}' });
      expect(answer.status).toBe(200);
    } finally {
      await server.close();
    }
    expect(exposureWarnings({ host: "0.0.0.0" }).join()).toContain("with no API keys set");
    expect(exposureWarnings({ host: "0.0.0.0", apiKeys: [{ key: "nk_only" }] })).toEqual([]);
    expect(exposureWarnings({ host: "127.0.0.1" })).toEqual([]);
  });

  it("noukai dev prints the warnings, and refuses a --cors that is not an origin (exit 2)", async () => {
    const t = testIo({ onStdout: (line, stop) => void (line.startsWith("Press Ctrl+C") && stop("SIGTERM")) });
    expect(await main(["dev", "--port", "0", "--host", "0.0.0.0", "--cors", "*"], t.io)).toBe(0);
    expect(t.err.join("\n")).toMatch(/warning: listening on 0\.0\.0\.0, beyond this machine, with no API keys set/);
    expect(t.err.join("\n")).toMatch(/warning: cors \* lets every web page/);
    await expect(main(["dev", "--port", "0", "--cors", "ftp://x"], testIo().io)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/not a web origin/) as string });
  });
});
