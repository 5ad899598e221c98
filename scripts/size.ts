/**
 * `npm run size`: the browser footprint (scripts/size/footprint.ts) against
 * its budget, and what weighs in it, by folder and by file.
 */
import { dirname } from "node:path";
import { BROWSER_GZIP_BUDGET, measureBrowserFootprint, type Part } from "./size/footprint.js";

const footprint = await measureBrowserFootprint();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const share = (bytes: number) => `${((100 * bytes) / footprint.gzipBytes).toFixed(1)} %`;

/** `node_modules/NAME/…` counts as the package NAME, this package's files by folder. */
const groupOf = (source: string) => (source.startsWith("(") ? source : (/^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1] ?? dirname(source)));

function table(title: string, parts: Part[]): void {
  console.log(`\n${title}`);
  console.log(`${"gzip".padStart(8)} ${"share".padStart(7)} ${"minified".padStart(9)}  source`);
  for (const part of parts) {
    console.log(`${String(part.gzipBytes).padStart(8)} ${share(part.gzipBytes).padStart(7)} ${String(part.minifiedBytes).padStart(9)}  ${part.source}`);
  }
}

const groups = new Map<string, Part>();
for (const part of footprint.parts) {
  const group = groupOf(part.source);
  const sum = groups.get(group) ?? { source: group, minifiedBytes: 0, gzipBytes: 0 };
  sum.minifiedBytes += part.minifiedBytes;
  sum.gzipBytes += part.gzipBytes;
  groups.set(group, sum);
}

console.log(`${footprint.entry} with its dependencies, bundled and minified: ${footprint.minifiedBytes} bytes (${kb(footprint.minifiedBytes)})`);
console.log(`gzipped (level 9): ${footprint.gzipBytes} bytes (${kb(footprint.gzipBytes)}); budget ${BROWSER_GZIP_BUDGET} bytes (${kb(BROWSER_GZIP_BUDGET)})`);
table("By folder (gzip: what the code adds to the gzipped bundle where it stands)", [...groups.values()].sort((a, b) => b.gzipBytes - a.gzipBytes));
table("By file", footprint.parts);
if (footprint.gzipBytes > BROWSER_GZIP_BUDGET) {
  console.error(`\nover budget by ${footprint.gzipBytes - BROWSER_GZIP_BUDGET} bytes`);
  process.exitCode = 1;
}
