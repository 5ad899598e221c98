import { describe, expect, it } from "vitest";
import { keySearch } from "../../src/core/key-search.js";

describe("keySearch", () => {
  it("answers as includes does, wherever the key or parts of it stand", () => {
    for (const secret of ["nk_secret_key", "nk_live_Q7zX", "zzz", "abcabcX", "k", "eeee"]) {
      const contains = keySearch(secret);
      const texts = [
        "",
        secret,
        `Bearer ${secret}`,
        `${secret} at the start`,
        `at the end ${secret}`,
        secret.slice(1),
        secret.slice(0, -1),
        `${secret.slice(0, -1)}${secret}`,
        `${secret.slice(1)}${secret.slice(0, 1)}`,
        `"tokens":{"prompt":10} ${secret.slice(2)} ${secret.slice(0, 2)}`,
        `${secret.slice(0, 1)}${secret.slice(0, 1)}${secret.slice(1)}`,
      ];
      for (const text of texts) expect(contains(text), `${secret} in ${JSON.stringify(text)}`).toBe(text.includes(secret));
    }
  });

  it("agrees with includes on random text over the key's own characters", () => {
    const secret = "nk_bench_key";
    const contains = keySearch(secret);
    const alphabet = "nk_bechy";
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 2000; round++) {
      let text = "";
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += random() < 0.05 ? secret : alphabet.charAt(Math.floor(random() * alphabet.length));
      expect(contains(text)).toBe(text.includes(secret));
    }
  });
});

describe("keySearch over text where the key's rarest character is common", () => {
  it("still finds the key after many near misses, and only where it is", () => {
    const secret = "eeeeex";
    const contains = keySearch(secret);
    const near = "eeeex ".repeat(500);
    expect(contains(near)).toBe(false);
    expect(contains(`${near}${secret}`)).toBe(true);
    expect(contains(`${near}eeeee ${near}x`)).toBe(false);
    expect(contains(`${near}eeeee${near}`)).toBe(true);
    const anchored = keySearch("nk_bench_key");
    const tokens = '"tokens":{"prompt":10},'.repeat(400);
    expect(anchored(tokens)).toBe(false);
    expect(anchored(`${tokens}nk_bench_key${tokens}`)).toBe(true);
    expect(anchored(`${tokens}nk_bench_ke`)).toBe(false);
  });
});
