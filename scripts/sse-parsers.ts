/**
 * `node --import tsx scripts/sse-parsers.ts`: the client's SSE parser
 * (src/core/sse-frames.ts) against `eventsource-parser`, which it replaced,
 * on the two things that decide between them: parse speed on a long stream,
 * and what each weighs in a minified, gzipped browser bundle.
 *
 * The stream is 20,000 events of about 160 characters (an `event:` line and
 * one JSON `data:` line, as the service sends them), fed in chunks of the
 * sizes a socket hands over; LF and CRLF line ends are timed apart. Rounds
 * alternate between the parsers, and the best round of each is reported.
 */
import { constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { createParser } from "eventsource-parser";
import { SseFrames } from "../src/core/sse-frames.js";
import type { RawEvent } from "../src/core/sse-reader.js";

const EVENTS = 20_000;
const ROUNDS = 40;

function stream(eol: string): string {
  let text = "";
  for (let i = 0; i < EVENTS; i++) {
    const data = JSON.stringify({ executionId: "0b7e3c1a-5f2d-4e8b-9a6c-1d2e3f4a5b6c", stepIndex: i, stepId: `step-${i % 7}`, output: "x".repeat(40) });
    text += `event: step_output${eol}data: ${data}${eol}${eol}`;
  }
  return text;
}

function chunked(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
  return chunks;
}

type Parse = (chunks: string[]) => number;

/**
 * Each parser gives what the client's reader keeps of a frame, `{ event, data }`
 * (the reader hands each on before reading more, so none is kept here either).
 */
let last: RawEvent | undefined;
const parsers: Record<string, Parse> = {
  "sse-frames": (chunks) => {
    let count = 0;
    const parser = new SseFrames((event, data) => {
      last = { event, data };
      count++;
    }, 32 * 1024 * 1024);
    for (const chunk of chunks) parser.feed(chunk);
    return count;
  },
  "eventsource-parser": (chunks) => {
    let count = 0;
    const parser = createParser({
      onEvent: (message) => {
        last = { event: message.event, data: message.data };
        count++;
      },
      maxBufferSize: 32 * 1024 * 1024,
    });
    for (const chunk of chunks) parser.feed(chunk);
    return count;
  },
};

function time(parse: Parse, chunks: string[]): number {
  const start = process.hrtime.bigint();
  const count = parse(chunks);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (count !== EVENTS) throw new Error(`parsed ${count} events, not ${EVENTS}`);
  return ms;
}

console.log(`${EVENTS} events of about ${Math.round(stream("\n").length / EVENTS)} characters; best of ${ROUNDS} interleaved rounds`);
console.log(`${"stream".padEnd(22)} ${Object.keys(parsers).map((name) => name.padStart(20)).join(" ")}   ratio`);
for (const [eol, label] of [["\n", "LF"], ["\r\n", "CRLF"]] as const) {
  const text = stream(eol);
  for (const size of [16 * 1024, 64 * 1024]) {
    const chunks = chunked(text, size);
    const best = Object.fromEntries(Object.keys(parsers).map((name) => [name, Infinity])) as Record<string, number>;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, parse] of Object.entries(parsers)) best[name] = Math.min(best[name] ?? Infinity, time(parse, chunks));
    }
    const rate = (ms: number) => `${Math.round(EVENTS / (ms / 1000)).toLocaleString("en")} ev/s`;
    const ours = best["sse-frames"] ?? Infinity;
    const theirs = best["eventsource-parser"] ?? Infinity;
    console.log(`${`${label}, ${size / 1024} KiB chunks`.padEnd(22)} ${rate(ours).padStart(20)} ${rate(theirs).padStart(20)}   ${(theirs / ours).toFixed(2)}×`);
  }
}

/** Each parser alone, bundled and minified as a browser user's bundler would, gzipped at level 9. */
async function weight(source: string): Promise<{ minified: number; gzip: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: new URL(".", import.meta.url).pathname, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.length, gzip: gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length };
}

const weights = {
  "sse-frames": await weight(`export { SseFrames } from "../src/core/sse-frames.ts";`),
  "eventsource-parser": await weight(`export { createParser } from "eventsource-parser";`),
};
if (last === undefined) throw new Error("no frame was parsed");
for (const [name, { minified, gzip }] of Object.entries(weights)) console.log(`${name}: ${minified} bytes minified, ${gzip} gzipped`);
