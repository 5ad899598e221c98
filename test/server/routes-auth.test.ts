import { describe, expect, it } from "vitest";
import { call, expectError, KEY, makeApp, post } from "./helpers.js";

describe("routing", () => {
  const app = makeApp();

  it("answers an unknown route with a 404 JSON error", async () => {
    for (const path of ["/nope", "/seq/examples/demo", "/seq/examples/demo/hello/launch", "/seq/examples/demo/hello/vx/execute"]) {
      expectError(await call(app, path), 404, "NOT_FOUND");
    }
    const outside = await app.fetch(new Request("http://local.test/elsewhere"));
    expect(outside.status).toBe(404);
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const get = await call(app, "/seq/examples/demo/hello/execute");
    expectError(get, 405, "METHOD_NOT_ALLOWED");
    expect(get.headers.get("allow")).toBe("POST, OPTIONS");
    const postTrace = await call(app, "/seq/examples/demo/hello/runs/x/trace", { body: {} });
    expectError(postTrace, 405, "METHOD_NOT_ALLOWED");
    expect(postTrace.headers.get("allow")).toBe("GET, OPTIONS");
  });

  it("answers CORS preflights and sends CORS headers to the web origins it lets in, and to no other page", async () => {
    const open = makeApp({ cors: ["https://app.example.test"] });
    const origin = { origin: "https://app.example.test" };
    const preflight = await call(open, "/seq/examples/demo/hello/execute", { method: "OPTIONS", key: null, headers: origin });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Idempotency-Key");
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
    const answer = await post(open, "hello", "execute", { message: "hi" }, { headers: origin });
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
    expect(answer.headers.get("access-control-expose-headers")).toContain("X-Request-ID");
    expect(answer.headers.get("vary")).toBe("Origin");
    const foreign = await post(open, "hello", "execute", { message: "hi" }, { headers: { origin: "https://evil.example" } });
    expectError(foreign, 403, "ORIGIN_NOT_ALLOWED");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    // Clients outside a browser send no Origin: served, with no CORS headers.
    const plain = await post(app, "hello", "execute", { message: "hi" });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    const options = await call(app, "/seq/examples/demo/hello/execute", { method: "OPTIONS", key: null });
    expect({ status: options.status, allow: options.headers.get("allow"), cors: options.headers.get("access-control-allow-origin") }).toEqual({ status: 204, allow: "GET, POST, OPTIONS", cors: null });
  });

  it("gives every answer its own request id", async () => {
    const ids = new Set<string | null>();
    for (let i = 0; i < 5; i++) ids.add((await call(app, "/nope")).headers.get("x-request-id"));
    expect(ids.size).toBe(5);
  });

  it("percent-decodes path segments and matches sessions before flows", async () => {
    const flow = { org: "caf\u00e9", project: "pro-j", slug: "s[1]|x", draft: { steps: [{ id: "x", template: "ok" }] } };
    const app2 = makeApp({ flows: [flow] });
    expect((await call(app2, "/seq/caf%C3%A9/pro-j/s[1]%7Cx/execute", { body: { message: "m" } })).json.result).toBe("ok");
    expectError(await call(app2, "/seq/sessions/not-a-uuid"), 400, "BAD_REQUEST");
    expectError(await call(app2, "/seq/a%ZZ/p/s/execute", { body: {} }), 400, "BAD_REQUEST");
  });
});

describe("authentication", () => {
  it("requires a Bearer nk_ key, with WWW-Authenticate", async () => {
    const app = makeApp();
    const missing = await post(app, "hello", "execute", { message: "hi" }, { key: null });
    expectError(missing, 401, "UNAUTHENTICATED");
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="noukai"');
    for (const authorization of ["Bearer sk_live_123", "Basic nk_abc", "nk_abc", "Bearer "]) {
      const bad = await post(app, "hello", "execute", { message: "hi" }, { headers: { authorization } });
      expectError(bad, 401, "UNAUTHENTICATED");
      expect(bad.headers.get("www-authenticate")).toBe('Bearer realm="noukai", error="invalid_token"');
    }
    expect((await post(app, "hello", "execute", { message: "hi" }, { headers: { authorization: "bearer nk_any" } })).status).toBe(200);
  });

  it("narrows accepted keys with apiKeys and scopes them to an org or project (403)", async () => {
    const app = makeApp({
      apiKeys: [{ key: "nk_everything" }, { key: "nk_examples", org: "examples" }, { key: "nk_other", org: "other" }, { key: "nk_proj", org: "examples", project: "elsewhere" }],
    });
    expect((await post(app, "hello", "execute", { message: "hi" }, { key: "nk_everything" })).status).toBe(200);
    expect((await post(app, "hello", "execute", { message: "hi" }, { key: "nk_examples" })).status).toBe(200);
    const unknown = await post(app, "hello", "execute", { message: "hi" }, { key: "nk_stranger" });
    expectError(unknown, 401, "UNAUTHENTICATED");
    expect(unknown.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(expectError(await post(app, "hello", "execute", { message: "hi" }, { key: "nk_other" }), 403, "FORBIDDEN").message).toContain('"other"');
    expectError(await post(app, "hello", "execute", { message: "hi" }, { key: "nk_proj" }), 403, "FORBIDDEN");
  });

  it("never echoes the API key", async () => {
    const secret = "nk_very_secret_value_123";
    const app = makeApp({ apiKeys: [{ key: "nk_other", org: "other" }] });
    const answers = [
      await post(app, "hello", "execute", { message: "hi" }, { key: secret }),
      await post(app, "hello", "execute", { message: "hi" }, { headers: { authorization: `Bearer ${secret} extra` } }),
    ];
    for (const answer of answers) expect(answer.text).not.toContain("secret");
  });
});

describe("rate limits and credits", () => {
  it("answers 429 RATE_LIMITED with an integer Retry-After past the per-key limit", async () => {
    let now = 0;
    const app = makeApp({ rateLimit: { requests: 2, windowSeconds: 10 }, now: () => now });
    expect((await post(app, "hello", "execute", { message: "1" })).status).toBe(200);
    expect((await post(app, "hello", "execute", { message: "2" })).status).toBe(200);
    now = 1_500;
    const limited = await post(app, "hello", "execute", { message: "3" });
    expectError(limited, 429, "RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("9");
    expect((await post(app, "hello", "execute", { message: "other key" }, { key: `${KEY}_2` })).status).toBe(200);
    now = 10_000;
    expect((await post(app, "hello", "execute", { message: "4" })).status).toBe(200);
  });

  it("deducts each execution's cost and answers 402 once the org's credits are spent", async () => {
    const app = makeApp({ credits: { examples: "0.00000001" } });
    const first = await post(app, "hello", "execute", { message: "hi" });
    expect(first.json.status).toBe("completed");
    const refused = await post(app, "hello", "execute", { message: "hi" });
    expect(expectError(refused, 402, "INSUFFICIENT_CREDITS").message).toContain('"examples"');
    expectError(await post(app, "two-step", "step", { message: "hi" }), 402, "INSUFFICIENT_CREDITS");
    expectError(await post(app, "two-step", "jobs", { message: "hi" }), 402, "INSUFFICIENT_CREDITS");
    expect(app.stats().executionsStarted).toBe(1);
  });
});
