import { describe, expect, it } from "vitest";
import { expectError, makeApp, parseSse, post } from "./helpers.js";

describe("Idempotency-Key", () => {
  it("returns the first answer to a repeat, without running the flow again", async () => {
    const app = makeApp();
    const headers = { "idempotency-key": "k-1" };
    const first = await post(app, "hello", "execute", { message: "hi", trace: false }, { headers });
    // Same body with other key order and spacing.
    const repeat = await post(app, "hello", "execute", undefined, { headers, rawBody: '{ "trace": false, "message": "hi" }' });
    expect(repeat.status).toBe(200);
    expect(repeat.json).toEqual(first.json);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(app.stats()).toMatchObject({ executionsStarted: 1, idempotentReplays: 1 });
  });

  it("makes a repeat that arrives during the first run wait for its answer", async () => {
    const app = makeApp();
    const headers = { "idempotency-key": "slow-1" };
    const [first, repeat] = await Promise.all([post(app, "slow", "execute", { message: "m" }, { headers }), post(app, "slow", "execute", { message: "m" }, { headers })]);
    expect(repeat.json).toEqual(first.json);
    expect(app.stats().executionsStarted).toBe(1);
  });

  it("refuses the same key with another body (422), and scopes keys by path and API key", async () => {
    const app = makeApp();
    const headers = { "idempotency-key": "k-2" };
    await post(app, "hello", "execute", { message: "a" }, { headers });
    expectError(await post(app, "hello", "execute", { message: "b" }, { headers }), 422, "IDEMPOTENCY_KEY_REUSED");
    expect((await post(app, "two-step", "execute", { message: "b" }, { headers })).status).toBe(200);
    expect((await post(app, "hello", "execute", { message: "b" }, { headers, key: "nk_someone_else" })).status).toBe(200);
    expect(app.stats().executionsStarted).toBe(3);
  });

  it("replays a recorded /step stream and a /jobs acceptance", async () => {
    const app = makeApp();
    const headers = { "idempotency-key": "s-1" };
    const first = await post(app, "two-step", "step", { message: "m", runRemaining: true }, { headers });
    const repeat = await post(app, "two-step", "step", { message: "m", runRemaining: true }, { headers });
    expect(repeat.text).toBe(first.text);
    expect(parseSse(repeat.text).at(-1)?.event).toBe("flow_completed");
    const job = await post(app, "hello", "jobs", { message: "m" }, { headers: { "idempotency-key": "j-1" } });
    const jobAgain = await post(app, "hello", "jobs", { message: "m" }, { headers: { "idempotency-key": "j-1" } });
    expect([jobAgain.status, jobAgain.json.executionId]).toEqual([202, job.json.executionId]);
    expect(app.stats().executionsStarted).toBe(2);
  });

  it("does not record transient refusals", async () => {
    const app = makeApp({ rateLimit: { requests: 1, windowSeconds: 60 } });
    const headers = { "idempotency-key": "k-3" };
    await post(app, "hello", "execute", { message: "a" }, { headers, key: "nk_a" });
    expectError(await post(app, "hello", "execute", { message: "a" }, { headers, key: "nk_a" }), 429, "RATE_LIMITED");
  });
});
