import { describe, expect, it } from "vitest";
import { FaultInjector } from "../../src/server/faults/injector.js";
import { parseFaultFlag } from "../../src/server/faults/parse.js";
import { call, expectError, makeApp, post } from "./helpers.js";

describe("the --fault syntax", () => {
  it.each([
    ["execute:503:times=2", { route: "execute", status: 503, times: 2 }],
    ["*:latency=200:p=0.1", { route: "*", latencyMs: 200, probability: 0.1 }],
    ["step:cut=3", { route: "step", cutAfterEvents: 3 }],
    ["execute:reset-after:p=0.05", { route: "execute", reset: "after", probability: 0.05 }],
    ["jobs:reset-before:after=1", { route: "jobs", reset: "before", after: 1 }],
    ["execute:429:retry-after=2", { route: "execute", status: 429, retryAfter: 2 }],
    ["poll:503:retry-after=http-date+5", { route: "poll", status: 503, retryAfter: "http-date+5" }],
    ["trace:502:body=html", { route: "trace", status: 502, body: "html" }],
    ["session:500:times=1:body=oops: it broke", { route: "session", status: 500, times: 1, body: "oops: it broke" }],
  ])("parses %s", (flag, rule) => {
    expect(parseFaultFlag(flag)).toEqual(rule);
  });

  it.each([
    ["nowhere:503", /unknown route/],
    ["execute", /missing action/],
    ["execute:teapot", /unknown action/],
    ["execute:503:times=0", /times must be/],
    ["execute:503:times=1:p=0.5", /at most one of/],
    ["execute:latency=20:retry-after=1", /go with status/],
    ["execute:503:retry-after=soon", /retry-after/],
    ["execute:503:p=2", /probability/],
  ])("rejects %s with a readable message", (flag, message) => {
    expect(() => parseFaultFlag(flag)).toThrow(message);
  });
});

describe("FaultInjector", () => {
  it("counts matching requests per rule: times, after", () => {
    const injector = new FaultInjector([{ route: "execute", status: 503, times: 2 }, { route: "poll", reset: "before", after: 1 }], 1);
    const kinds = (route: "execute" | "poll") => injector.plan(route).kinds.join(",");
    expect([kinds("execute"), kinds("poll"), kinds("execute"), kinds("execute"), kinds("poll"), kinds("poll")]).toEqual([
      "status",
      "",
      "status",
      "",
      "resetBefore",
      "resetBefore",
    ]);
  });

  it("draws probabilities from the seed, the same way every time", () => {
    const draw = (seed: number) => {
      const injector = new FaultInjector([{ latencyMs: 1, probability: 0.3 }], seed);
      return Array.from({ length: 200 }, () => injector.plan("execute").kinds.length).join("");
    };
    expect(draw(7)).toBe(draw(7));
    expect(draw(7)).not.toBe(draw(8));
    const fired = [...draw(7)].filter((c) => c === "1").length;
    expect(fired).toBeGreaterThan(30);
    expect(fired).toBeLessThan(90);
  });

  it("adds latency and applies the first other action", () => {
    const injector = new FaultInjector([{ latencyMs: 5 }, { latencyMs: 7 }, { status: 500 }, { status: 502 }], 1);
    const plan = injector.plan("trace");
    expect(plan.latencyMs).toBe(12);
    expect(plan.action?.status).toBe(500);
    expect(plan.kinds).toEqual(["latency", "latency", "status"]);
  });
});

describe("faults in the app", () => {
  it("answers an injected status with Retry-After, before auth and without running anything", async () => {
    const app = makeApp({ faults: [{ route: "execute", status: 429, retryAfter: 3, times: 1 }] });
    const first = await post(app, "hello", "execute", { message: "hi" }, { key: null });
    expectError(first, 429, "RATE_LIMITED");
    expect(first.headers.get("retry-after")).toBe("3");
    expect((await post(app, "hello", "execute", { message: "hi" })).status).toBe(200);
    expect(app.stats()).toMatchObject({ faults: { status: 1 }, executionsStarted: 1 });
  });

  it("can answer like a proxy: HTML, an empty body, or an HTTP-date Retry-After", async () => {
    const app = makeApp({
      now: () => Date.UTC(2026, 0, 1),
      faults: [
        { route: "trace", status: 502, body: "html", times: 1 },
        { route: "trace", status: 503, body: "empty", times: 1 },
        { route: "session", status: 503, retryAfter: "http-date+5" },
      ],
    });
    const html = await call(app, "/seq/examples/demo/hello/runs/x/trace");
    expect([html.status, html.headers.get("content-type")]).toEqual([502, "text/html; charset=utf-8"]);
    expect(html.text).toContain("<h1>502");
    const empty = await call(app, "/seq/examples/demo/hello/runs/x/trace");
    expect([empty.status, empty.text]).toEqual([503, ""]);
    const dated = await call(app, "/seq/sessions/11111111-1111-4111-8111-111111111111");
    expect(dated.headers.get("retry-after")).toBe("Thu, 01 Jan 2026 00:00:05 GMT");
  });

  it("rejects the request when a reset is injected (fetch fails like a dropped connection)", async () => {
    const app = makeApp({ faults: [{ route: "execute", reset: "before", times: 1 }, { route: "execute", reset: "after", times: 2 }] });
    await expect(post(app, "hello", "execute", { message: "hi" })).rejects.toThrow(/reset/);
    expect(app.stats().executionsStarted).toBe(0);
    await expect(post(app, "hello", "execute", { message: "hi" })).rejects.toThrow(/reset/);
    expect(app.stats().executionsStarted).toBe(1);
    expect(app.stats().faults).toEqual({ resetBefore: 1, resetAfter: 1 });
  });
});
