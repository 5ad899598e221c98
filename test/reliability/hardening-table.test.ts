/**
 * RELIABILITY.md's hardening table is the rules files' (`hardening/*-rules.ts`):
 * a finding fixed without its row, or a row changed without the table, fails
 * here. `node test/reliability/support/ts-entry.mjs test/reliability/report/write-hardening-table.ts`
 * writes the table in.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { hardeningTable, replaceHardeningTable } from "./report/render.js";

it("RELIABILITY.md lists every hardening rule, as the rules files state it", () => {
  const text = readFileSync(new URL("../../RELIABILITY.md", import.meta.url), "utf8");
  expect(replaceHardeningTable(text, hardeningTable())).toBe(text);
});
