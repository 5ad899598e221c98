import { describe, expect, it } from "vitest";
import { newRequestId } from "../../src/server/app/request-id.js";
import { newRunId } from "../../src/server/app/run-id.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("ids", () => {
  it("makes run ids that are random lower-case version 4 UUIDs, all different", () => {
    // More than one batch of the shared random pool (512 ids), request ids drawn in between.
    const ids = new Set<string>();
    for (let i = 0; i < 3_000; i++) {
      const id = newRunId();
      expect(id).toMatch(UUID_V4);
      ids.add(id);
      if (i % 7 === 0) newRequestId();
    }
    expect(ids.size).toBe(3_000);
  });

  it("uses every hex digit in every free position of a run id", () => {
    // 4 bits of 122 fixed: a position stuck at one value would show over 2,000 ids.
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++) [...newRunId()].forEach((char, at) => seen[at]?.add(char));
    const sizes = seen.map((chars) => chars.size);
    expect(sizes.filter((size) => size === 16)).toHaveLength(30);
    expect(sizes[14]).toBe(1); // the version
    expect(sizes[19]).toBe(4); // the variant: 8, 9, a, b
  });

  it("makes request ids of req_ and 32 hex digits, all different", () => {
    const ids = new Set(Array.from({ length: 1_500 }, () => newRequestId()));
    expect(ids.size).toBe(1_500);
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
  });
});
