import { describe, expect, it } from "vitest";
import { BoundedMap } from "../../src/server/bounded-map.js";
import { CreditLedger } from "../../src/server/state/credit-ledger.js";
import { IdempotencyStore } from "../../src/server/state/idempotency-store.js";
import { JobQueue } from "../../src/server/state/job-queue.js";
import { RateLimiter } from "../../src/server/state/rate-limiter.js";
import { SessionStore } from "../../src/server/state/session-store.js";
import { defer } from "./helpers.js";

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("BoundedMap", () => {
  it("expires entries after their idle TTL", () => {
    const time = clock();
    const evicted: string[] = [];
    const map = new BoundedMap<string, number>({ maxEntries: 10, ttlMs: 100, now: time.now, onEvict: (k, _v, reason) => evicted.push(`${k}:${reason}`) });
    map.set("a", 1);
    time.advance(60);
    expect(map.get("a")).toBe(1); // a read refreshes the TTL
    time.advance(60);
    expect(map.get("a")).toBe(1);
    time.advance(101);
    expect(map.get("a")).toBeUndefined();
    expect(evicted).toEqual(["a:expired"]);
  });

  it("drops the least recently used entry past its cap", () => {
    const map = new BoundedMap<string, number>({ maxEntries: 2, ttlMs: 1000, now: () => 0 });
    map.set("a", 1);
    map.set("b", 2);
    map.get("a");
    map.set("c", 3);
    expect([...map.values()]).toEqual([1, 3]);
    expect(map.size).toBe(2);
  });

  it("keeps the total weight under maxWeight, dropping the least recently used", () => {
    const map = new BoundedMap<string, string>({ maxEntries: 100, ttlMs: 1000, now: () => 0, maxWeight: 10, weigh: (v) => v.length });
    map.set("a", "xxxx");
    map.set("b", "xxxx");
    map.set("c", "xxxx");
    expect([...map.values()]).toEqual(["xxxx", "xxxx"]);
    expect(map.has("a")).toBe(false);
    map.set("b", "x");
    expect(map.weight).toBe(5);
  });

  it("sweeps expired entries without being asked for them", () => {
    const time = clock();
    const map = new BoundedMap<string, number>({ maxEntries: 100, ttlMs: 10, now: time.now });
    for (let i = 0; i < 50; i++) map.set(String(i), i);
    time.advance(11);
    map.sweep();
    expect(map.size).toBe(0);
  });
});

describe("SessionStore", () => {
  it("answers expired (not unknown) for a session that was evicted", () => {
    const time = clock();
    const store = new SessionStore({ maxSessions: 1, ttlMs: 100, maxExecutionsPerSession: 2, now: time.now });
    const find = (id: string) => id;
    store.add("s1", "r1");
    store.add("s1", "r2");
    store.add("s1", "r3");
    const found = store.lookup("s1", find);
    expect(found.state === "found" && found.runs).toEqual(["r2", "r3"]);
    store.add("s2", "r4"); // pushes s1 out
    expect(store.lookup("s1", find).state).toBe("expired");
    time.advance(101);
    expect(store.lookup("s2", find).state).toBe("expired");
    expect(store.lookup("never", find).state).toBe("unknown");
  });

  it("lists only the runs the run store still has: a session keeps none alive", () => {
    const store = new SessionStore({ maxSessions: 10, ttlMs: 100, maxExecutionsPerSession: 10, now: () => 0 });
    store.add("s", "kept");
    store.add("s", "gone");
    const found = store.lookup("s", (id) => (id === "kept" ? { id } : undefined));
    expect(found.state === "found" && found.runs).toEqual([{ id: "kept" }]);
  });
});

describe("IdempotencyStore", () => {
  it("hands the first answer to repeats, refuses another body, forgets unrecorded answers", async () => {
    const store = new IdempotencyStore({ maxEntries: 10, maxBytes: 1000, ttlMs: 1000, now: () => 0 });
    const first = store.claim("k", "body-1");
    expect(first.kind).toBe("first");
    const repeat = store.claim("k", "body-1");
    expect(store.claim("k", "body-2").kind).toBe("conflict");
    const answer = { status: 200, headers: {}, body: { kind: "json" as const, text: "{}" } };
    if (first.kind === "first") first.settle(answer);
    expect(repeat.kind === "repeat" && (await repeat.response)).toEqual(answer);

    const other = store.claim("k2", "b");
    if (other.kind === "first") other.settle(undefined);
    expect(store.claim("k2", "b").kind).toBe("first");
  });

  it("keeps a short refusal instead of an answer too big to keep, and bounds the bytes kept", async () => {
    const store = new IdempotencyStore({ maxEntries: 10, maxBytes: 20 * 1024 * 1024, ttlMs: 1000, now: () => 0 });
    const first = store.claim("big", "a");
    const huge = { status: 200, headers: {}, body: { kind: "sse" as const, chunks: ["x".repeat(5 * 1024 * 1024), "y".repeat(5 * 1024 * 1024)] } };
    if (first.kind === "first") first.settle(huge);
    const repeat = store.claim("big", "a");
    const replayed = repeat.kind === "repeat" ? await repeat.response : undefined;
    expect(replayed?.status).toBe(409);
    expect(replayed?.body.kind === "json" && replayed.body.text).toContain("IDEMPOTENT_REPLAY_UNAVAILABLE");
  });

  it("expires records", () => {
    const time = clock();
    const store = new IdempotencyStore({ maxEntries: 10, maxBytes: 1000, ttlMs: 50, now: time.now });
    const first = store.claim("k", "a");
    if (first.kind === "first") first.settle({ status: 200, headers: {}, body: { kind: "json", text: "" } });
    time.advance(51);
    expect(store.claim("k", "b").kind).toBe("first");
  });
});

describe("JobQueue", () => {
  it("refuses a job once the waiting ones hold maxQueuedBytes (one always fits)", () => {
    const queue = new JobQueue({ concurrency: 1, maxQueued: 100, maxQueuedBytes: 1000 });
    const gate = defer();
    const job = (bytes: number) => ({ run: () => gate.promise, cancel: () => undefined, bytes });
    expect(queue.enqueue(job(10))).toBe(true); // running: not waiting
    expect(queue.enqueue(job(5000))).toBe(true); // alone in the queue, however big
    expect(queue.enqueue(job(10))).toBe(false);
    expect(queue.waitingBytes).toBe(5000);
    gate.resolve();
  });

  it("runs at most `concurrency` jobs, refuses past `maxQueued`, cancels the waiting ones on close", async () => {
    const queue = new JobQueue({ concurrency: 2, maxQueued: 2 });
    const gates = [defer(), defer(), defer(), defer()];
    let running = 0;
    let peak = 0;
    const cancelled: number[] = [];
    const job = (i: number) => ({
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await gates[i]?.promise;
        running--;
      },
      cancel: () => cancelled.push(i),
    });
    expect([0, 1, 2, 3].map((i) => queue.enqueue(job(i)))).toEqual([true, true, true, true]);
    expect(queue.enqueue(job(9))).toBe(false);
    expect(queue.full()).toBe(true);
    gates[0]?.resolve();
    gates[1]?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.running).toBe(2);
    const closing = queue.close();
    gates[2]?.resolve();
    gates[3]?.resolve();
    await closing;
    expect(peak).toBe(2);
    expect(cancelled).toEqual([]);
    const other = new JobQueue({ concurrency: 1, maxQueued: 5 });
    const gate = defer();
    other.enqueue({ run: () => gate.promise, cancel: () => undefined });
    other.enqueue(job(7));
    const closed = other.close();
    gate.resolve();
    await closed;
    expect(cancelled).toEqual([7]);
  });
});

describe("RateLimiter and CreditLedger", () => {
  it("allows N requests per window and says how long to wait", () => {
    const time = clock(1_000);
    const limiter = new RateLimiter({ requests: 2, windowSeconds: 10 }, time.now);
    expect(limiter.take("k").allowed).toBe(true);
    expect(limiter.take("k").allowed).toBe(true);
    time.advance(2_500);
    expect(limiter.take("k")).toEqual({ allowed: false, retryAfterSeconds: 8 });
    expect(limiter.take("other").allowed).toBe(true);
    time.advance(7_500);
    expect(limiter.take("k").allowed).toBe(true);
  });

  it("bills orgs with a budget and refuses them at or below zero", () => {
    const ledger = new CreditLedger({ acme: "0.000001", broke: "0" });
    expect(ledger.canRun("acme")).toBe(true);
    expect(ledger.canRun("broke")).toBe(false);
    expect(ledger.canRun("unbilled")).toBe(true);
    ledger.charge("acme", 1_000_000);
    expect(ledger.canRun("acme")).toBe(false);
    expect(ledger.balance("acme")).toBe("0.00000000");
    expect(() => new CreditLedger({ x: "lots" })).toThrow(/decimal USD string/);
  });
});
