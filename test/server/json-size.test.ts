import { describe, expect, it } from "vitest";
import { escapedBytes, jsonBytes } from "../../src/server/json/json-size.js";

describe("jsonBytes", () => {
  it("is the UTF-8 size of JSON.stringify, for short and long, plain and escaped strings", () => {
    const strings = ["", "a", "s42", "plain ascii text!", "del\u007f", 'q"x', "back\\slash", "tab\t", "nl\n", "\u0001", "é", "日本", "x".repeat(31), `${"y".repeat(40)}"`, "z".repeat(32)];
    for (const text of strings) {
      expect(jsonBytes(text)).toBe(Buffer.byteLength(JSON.stringify(text)));
      expect(escapedBytes(text)).toBe(Buffer.byteLength(JSON.stringify(text)) - 2);
    }
    const value = { 'k"': ["v\u0000", 1, null, true, "ok"], plain: { s0: "x" } };
    expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
  });
});
