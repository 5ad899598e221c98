import { describe, expect, it } from "vitest";
import { stretchesOf } from "../../scripts/size/source-map.js";

describe("stretchesOf", () => {
  it("gives each stretch of the text to the source of the mapping that starts it", () => {
    // Line 1: x.ts at column 0, y.ts at column 1; line 2: x.ts at column 0, then a mapping with no source at column 1.
    const map = { sources: ["x.ts", "y.ts"], mappings: "AAAA,CCAA;ADAA,C" };
    expect(stretchesOf("ab\ncd", map)).toEqual([
      { start: 0, end: 1, source: "x.ts" },
      { start: 1, end: 3, source: "y.ts" },
      { start: 3, end: 4, source: "x.ts" },
      { start: 4, end: 5, source: undefined },
    ]);
  });

  it("leaves text before the first mapping to no source, and joins neighbours of one source", () => {
    const map = { sources: ["x.ts"], mappings: "EAAA,CAAC" };
    expect(stretchesOf("abcd", map)).toEqual([
      { start: 0, end: 2, source: undefined },
      { start: 2, end: 4, source: "x.ts" },
    ]);
  });

  it("decodes multi-digit values", () => {
    // Column 16 is `gB`; then source index +1 (`C`).
    const map = { sources: ["a", "b"], mappings: "AAAA,gBCAA" };
    expect(stretchesOf("0123456789abcdefXY", map)).toEqual([
      { start: 0, end: 16, source: "a" },
      { start: 16, end: 18, source: "b" },
    ]);
  });
});
