import { webcrypto } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../../src/web/relay/server/base64url.js";
import { RateLimiter } from "../../src/web/relay/server/rate-limiter.js";
import { RelayRefusal } from "../../src/web/relay/server/refusal.js";
import { type TokenClaims, TokenSealer } from "../../src/web/relay/server/token-sealer.js";
import { UsedTokens } from "../../src/web/relay/server/used-tokens.js";
import { replayIdOf } from "../../src/web/scope/headers.js";
import { replayAnswer } from "../../src/web/scope/replay-answer.js";
import { ReplayLeftoverError, ReplayNoSnapshotsError } from "../../src/core/replay-errors.js";

/** The relay's pure pieces, with a clock the tests hold. */
const crypto = webcrypto as Crypto;
const SECRET = "unit-test-secret-0123456789-abcdefghij";
// An id long enough that a random token cannot hold it by chance (a two-letter one did, now and then).
const EXECUTION_ID = "exec-that-stays-sealed-in-the-token";
const claims: TokenClaims = { kind: "execute", relay: "a/b/c@production", executionId: EXECUTION_ID, round: 1, expiresAt: 2_000, nonce: "n1", state: { executionId: EXECUTION_ID } };

describe("TokenSealer", () => {
  it("opens what it sealed, and nothing else", async () => {
    const sealer = new TokenSealer(SECRET, crypto);
    const token = await sealer.seal(claims);
    expect(await sealer.open(token)).toEqual(claims);
    expect(token).not.toContain(EXECUTION_ID);
    expect(await new TokenSealer(`${SECRET}!`, crypto).open(token)).toBeUndefined();
    expect(await new TokenSealer(new TextEncoder().encode(SECRET), crypto).open(token)).toEqual(claims);
  });

  it("seals the same claims differently each time (a fresh IV)", async () => {
    const sealer = new TokenSealer(SECRET, crypto);
    expect(await sealer.seal(claims)).not.toBe(await sealer.seal(claims));
  });

  it("refuses every single-bit change of a token", async () => {
    const sealer = new TokenSealer(SECRET, crypto);
    const token = await sealer.seal(claims);
    const bytes = fromBase64Url(token.slice(5)) ?? new Uint8Array();
    for (let index = 0; index < bytes.length; index += 1) {
      const altered = new Uint8Array(bytes);
      altered[index] = (altered[index] ?? 0) ^ 1;
      expect(await sealer.open(`nkr1.${toBase64Url(altered)}`)).toBeUndefined();
    }
  });

  it("refuses sealed claims of the wrong shape", async () => {
    const sealer = new TokenSealer(SECRET, crypto);
    const streamWithoutHandle = await sealer.seal({ ...claims, kind: "stream", state: undefined });
    expect(await sealer.open(streamWithoutHandle)).toBeUndefined();
  });
});

describe("base64url", () => {
  it("round-trips any bytes, large ones included, and refuses what is not base64url", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(65_536));
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromBase64Url("ab+c")).toBeUndefined();
    expect(fromBase64Url("abcde")).toBeUndefined();
  });
});

describe("UsedTokens", () => {
  it("claims a token once; a release lets it be tried again, a spend never", () => {
    let now = 0;
    const used = new UsedTokens(10, () => now);
    expect(used.claim("a", 100)).toBe("claimed");
    expect(used.claim("a", 100)).toBe("used");
    used.release("a");
    expect(used.claim("a", 100)).toBe("claimed");
    used.spend("a");
    used.release("a");
    expect(used.claim("a", 100)).toBe("used");
    now = 50;
    expect(used.size).toBe(1);
  });

  it("is bounded: full of live entries it refuses new ones; expired entries make room", () => {
    let now = 0;
    const used = new UsedTokens(2, () => now);
    used.claim("a", 100);
    used.claim("b", 200);
    expect(used.claim("c", 300)).toBe("full");
    now = 150;
    expect(used.claim("c", 300)).toBe("claimed");
    expect(used.size).toBe(2);
  });
});

describe("RateLimiter", () => {
  it("allows requests per window and client, then says how long to wait", () => {
    let now = 0;
    const limiter = new RateLimiter({ requests: 2, windowMs: 10_000 }, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([undefined, undefined, 10]);
    expect(limiter.take("b")).toBeUndefined();
    now = 9_500;
    expect(limiter.take("a")).toBe(1);
    now = 10_000;
    expect(limiter.take("a")).toBeUndefined();
  });

  it("keeps at most maxClients windows", () => {
    const limiter = new RateLimiter({ requests: 1, windowMs: 60_000, maxClients: 100 }, () => 0);
    for (let index = 0; index < 10_000; index += 1) limiter.take(`client-${index}`);
    // The first client was forgotten: a fresh count, not a refusal.
    expect(limiter.take("client-0")).toBeUndefined();
    expect(limiter.take("client-9999")).toBeGreaterThan(0);
  });
});

describe("RelayRefusal", () => {
  it("takes error statuses and codes in capitals only", () => {
    expect(() => new RelayRefusal(200, "OK", "fine")).toThrow(RangeError);
    expect(() => new RelayRefusal(403, "not a code", "no")).toThrow(TypeError);
    expect(new RelayRefusal(401, "LOGIN_REQUIRED", "Sign in").toResponse("relay_1").headers.get("x-request-id")).toBe("relay_1");
  });
});

describe("the scope adapters' pieces", () => {
  it("takes the replay header's first value, and an empty one as none", () => {
    expect(replayIdOf("a, b")).toBe("a");
    expect(replayIdOf(["c", "d"])).toBe("c");
    expect(replayIdOf("  ")).toBeUndefined();
    expect(replayIdOf(null)).toBeUndefined();
  });

  it("answers replay errors with the official statuses and names, and their codes", () => {
    expect(replayAnswer(new ReplayNoSnapshotsError("no snapshots", { code: "REPLAY_NO_SNAPSHOTS" }))).toEqual({ status: 409, body: { error: "replay_no_snapshots", message: "no snapshots", code: "REPLAY_NO_SNAPSHOTS" } });
    expect(replayAnswer(new ReplayLeftoverError("left"))?.status).toBe(500);
    expect(replayAnswer(new Error("other"))).toBeUndefined();
  });
});
