/**
 * Writes the hardening table of RELIABILITY.md from the rules files
 * (`hardening/*-rules.ts`), leaving the soak run's figures as they are: a
 * rule lands with its fix, not with the next soak run.
 *
 *   node test/reliability/support/ts-entry.mjs test/reliability/report/write-hardening-table.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { hardeningTable, replaceHardeningTable } from "./render.js";

const file = new URL("../../../RELIABILITY.md", import.meta.url);
writeFileSync(file, replaceHardeningTable(readFileSync(file, "utf8"), hardeningTable()));
