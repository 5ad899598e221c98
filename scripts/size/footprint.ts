import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { type Stretch, stretchesOf } from "./source-map.js";

/**
 * The browser footprint as issue 18 defines it: what a user ships, that is
 * the package's browser build bundled with its dependencies and minified
 * (esbuild, ES2022, every export kept), gzipped at level 9.
 */

/**
 * The most the browser footprint may weigh, gzipped, in bytes: kept at the
 * measured size, so that it only shrinks (the aim is 12 KB, 12,288). Raised
 * by 580 bytes for the `redact` option (it applies to logged payloads in the
 * browser too) and the browser build's refusal of OpenTelemetry options, then
 * by 140 for issue 14: the dev environment's `nk_dev` key (the command line's
 * rule) and the local refusal of a run given no message, with their messages,
 * and 5 when that met issue 19's reading of a step's output under both names.
 * Lowered by 417 bytes with the same behaviour: the client's options checked
 * by the rules a call's options follow, one loop of attempts for whole
 * answers and streams, a browser build that refuses `fetchModule` without
 * checking its URL first, and a few messages saying the same in fewer words.
 * Raised by 162 for the event streams' speed: the key and escapes looked for
 * once per chunk (with the first frame of each chunk still scrubbed alone),
 * and the last event name remembered by the decoder; then by 4 when a call
 * without an `onCall` middleware stopped being wrapped at all (live traces
 * too no longer pass each event through a wrapper). Raised by 5 when the
 * event decoder began reading `eventType` before asking `hasOwn` (3 to 6 %
 * less CPU per event), and by 77 for the execute round trip's speed: without
 * middleware an attempt yields its effect without a generator around it, an
 * answer's headers are shown to the redactor one string at a time (given the
 * record, it listed its entries), and the async driver awaits each effect's
 * own promise (no outcome object per effect). Lowered by 13 when the key's
 * redactor itself began walking an object's keys with `for…in`, which made
 * the exchange's own header-by-header check unnecessary. Raised by 157 for
 * the key's search, which scans for the key's least common character
 * instead of its first (a 16 KiB chunk of events in 0.85 µs, not 5), and
 * by 64 for the stream parser handing out the last event name's own string
 * when the next is spelled alike (the decoder then compares by identity).
 * Raised by 157 for handing the events decoded from one chunk to the async
 * iterator together (one resumption of the step loop per chunk, not per
 * event: 8 to 9 % less CPU per event stream). Raised by 41 when a stream
 * began honouring a stop (its signal, or `close()`) at the next event rather
 * than at the next read: events already read were still handed out; then
 * by 8 so that a stop met while a request is under way still fails with
 * that request's own error, which names it. Raised by 548 so that deeply
 * nested JSON never ends in a `RangeError` from the stack: values are
 * measured where they come in (1,000 levels for the caller's, 2,000 for
 * answers and events, each refused past that with an error that says so),
 * and the key's scrub and the `redact` paths walk without recursion. Then
 * by 6 for reading a failure's causes in a bounded loop (a chain of causes
 * can loop), and by 35 for the `maxConnections` option's name and check (in
 * the browser, the runtime's fetch pools its own connections). Raised by
 * 142 for refusing, when a pause is read, tool calls that are not objects
 * with an id (a resume then failed with a `TypeError` from inside), and
 * timeouts longer than a timer holds (they fired at once). Raised by 235
 * for the middleware chain's checks: a middleware's answer checked as JSON
 * (by a walk with a stack of its own, since an answer may nest 2,000 levels
 * from a deep stack), a replaced `request.headers` refused, and every layer
 * a call opened closed when another layer's hook throws. Lowered by 9 when
 * the cassette's check moved to what loads or writes a file (Node only): the
 * browser build, which refuses scopes, no longer carries it. Raised by 7
 * for the client registry's shape, which on Node both builds of the package
 * share (the browser build keeps its own). Lowered by 55 when a stream's
 * call began taking its hooks where the stream is made (one path for every
 * stream, where the step run had taken them at its first read, on its own).
 */
export const BROWSER_GZIP_BUDGET = 23_429;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Footprint {
  /** The browser build's file, relative to the package root. */
  entry: string;
  /** The minified bundle. */
  code: string;
  minifiedBytes: number;
  gzipBytes: number;
  /** Bytes by source file (this package's `src/…`, a dependency's own sources, `(bundler glue)`, `(gzip framing)`). */
  parts: Part[];
}

export interface Part {
  source: string;
  minifiedBytes: number;
  /** What this source's code adds to the gzipped bundle, where it stands in it; the parts add up to `gzipBytes`. */
  gzipBytes: number;
}

const GLUE = "(bundler glue)";
const FRAMING = "(gzip framing)";
const gzip = (data: Buffer) => gzipSync(data, { level: constants.Z_BEST_COMPRESSION }).length;

async function browserEntry(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as { exports: { ".": { browser: { default: string } } } };
  return pkg.exports["."].browser.default.replace(/^\.\//, "");
}

/** Bundles and measures the browser build; needs `dist/` (npm run build). */
export async function measureBrowserFootprint(): Promise<Footprint> {
  const entry = await browserEntry();
  // The build's own source map leads each byte back to `src/`, and the dependency's to its sources.
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    outfile: join(ROOT, "footprint.js"),
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: "external",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles.find((file) => file.path.endsWith(".js"))?.text ?? "";
  const map = JSON.parse(result.outputFiles.find((file) => file.path.endsWith(".map"))?.text ?? "{}") as { sources: string[]; mappings: string };
  const bytes = Buffer.from(code);
  return { entry, code, minifiedBytes: bytes.length, gzipBytes: gzip(bytes), parts: attribute(code, map) };
}

/**
 * Each stretch's gzipped weight is what it adds to the gzipped size of all
 * the code before it, so the weights add up to the whole exactly, and code
 * that repeats earlier code weighs what its repetition costs.
 */
function attribute(code: string, map: { sources: string[]; mappings: string }): Part[] {
  // The gzip header and trailer weigh the same whatever the content.
  let before = gzip(Buffer.alloc(0));
  const parts = new Map<string, Part>([[FRAMING, { source: FRAMING, minifiedBytes: 0, gzipBytes: before }]]);
  let byteOffset = 0;
  const bytes = Buffer.from(code);
  for (const stretch of withExportsAsGlue(code, stretchesOf(code, map))) {
    const source = stretch.source?.replace(/^(\.\.\/)+/, "") ?? GLUE;
    const minified = Buffer.byteLength(code.slice(stretch.start, stretch.end));
    byteOffset += minified;
    const upTo = gzip(bytes.subarray(0, byteOffset));
    const part = parts.get(source) ?? { source, minifiedBytes: 0, gzipBytes: 0 };
    part.minifiedBytes += minified;
    part.gzipBytes += upTo - before;
    parts.set(source, part);
    before = upTo;
  }
  return [...parts.values()].sort((a, b) => b.gzipBytes - a.gzipBytes);
}

/**
 * The bundle's closing `export{…}` has no mapping of its own, so the source
 * map lends it to the last module; it belongs to the bundler.
 */
function withExportsAsGlue(code: string, stretches: Stretch[]): Stretch[] {
  const start = code.lastIndexOf("export{");
  if (start === -1 || !/^export\{[^}]*\};?\s*$/.test(code.slice(start))) return stretches;
  const kept = stretches.filter((stretch) => stretch.start < start).map((stretch) => ({ ...stretch, end: Math.min(stretch.end, start) }));
  return [...kept, { start, end: code.length, source: undefined }];
}
