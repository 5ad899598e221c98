/**
 * The SSE line parser against `eventsource-parser` (kept as a dev dependency
 * to be the reference): the same frames from the same text, however it is cut
 * into chunks, and the same refusal of a frame past the size limit.
 */
import { createParser } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { SseFrames } from "../../src/core/sse-frames.js";

type Frame = [event: string | undefined, data: string];

function ours(chunks: string[], maxChars = Infinity): { frames: Frame[]; tooLarge: boolean } {
  const frames: Frame[] = [];
  const parser = new SseFrames((event, data) => frames.push([event, data]), maxChars);
  for (const chunk of chunks) if (!parser.feed(chunk)) return { frames, tooLarge: true };
  return { frames, tooLarge: false };
}

/** The package, as the client used it: a CR at the very end of the stream is a line end. */
function reference(chunks: string[], maxChars?: number): { frames: Frame[]; tooLarge: boolean } {
  const frames: Frame[] = [];
  let tooLarge = false;
  const parser = createParser({
    onEvent: (message) => frames.push([message.event, message.data]),
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") tooLarge = true;
    },
    ...(maxChars === undefined ? {} : { maxBufferSize: maxChars }),
  });
  for (const chunk of chunks) {
    parser.feed(chunk);
    if (tooLarge) return { frames, tooLarge };
  }
  if (chunks.join("").endsWith("\r")) parser.feed("\n");
  return { frames, tooLarge };
}

/** Every way of cutting `text` in two, and in three around each CR. */
function cuts(text: string): string[][] {
  const all: string[][] = [];
  for (let i = 0; i <= text.length; i++) all.push([text.slice(0, i), text.slice(i)]);
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\r") continue;
    all.push([text.slice(0, i), text.slice(i, i + 1), "", text.slice(i + 1)]);
  }
  return all;
}

const STREAMS: Record<string, string> = {
  "LF frames": 'event: step_started\ndata: {"stepId":"s-1"}\n\nevent: flow_completed\ndata: {}\n\n',
  "CRLF frames": "event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\n\r\n",
  "CR frames": "event: a\rdata: 1\r\revent: b\rdata: 2\r\r",
  "mixed line ends": "data: 1\r\n\ndata: 2\r\rdata: 3\n\r\n",
  "comments, id and retry": ": keep-alive\nid: 7\nretry: 1000\nevent: step_paused\ndata: {}\n\n: ping\n\n",
  "multi-line data": 'data: {"a":\ndata: 1}\n\ndata:\ndata\ndata: x\n\n',
  "no space, two spaces, empty values": "event:tight\ndata:x\n\nevent:  wide\ndata:  y\n\nevent:\ndata:\n\nevent\ndata\n\n",
  "fields without data give nothing": "event: lonely\nid: 1\n\n\n\nretry: 5\n\n",
  "unknown and look-alike fields": "dat: no\ndatas: no\nevents: no\neven: no\nfoo\nEvent: X\nDATA: y\ndata: yes\n\n",
  "a colon inside a value": 'data: {"url":"http://x:1/a"}\nevent: a:b\n\n',
  "a frame that never ends": "data: 1\n\ndata: 2\n",
  "a stream ending in CR": "data: 1\r\r",
  "an id with NUL, a bad retry": "id: a\u0000b\nretry: soon\ndata: z\n\n",
  "a BOM-like character inside": "data: \uFEFFx\n\n",
  // A name spelled like the last one is handed out as the same string: one of the same length but other letters is not.
  "names alike and unlike": "event: step_started\ndata: 1\n\nevent: step_started\ndata: 2\n\nevent: step_errored\ndata: 3\n\nevent: step_started\ndata: 4\n\nevent: step\ndata: 5\n\n",
};

describe("SseFrames, against eventsource-parser", () => {
  it.each(Object.entries(STREAMS))("%s: the same frames, however the text is cut", (_, text) => {
    const whole = reference([text]).frames;
    expect(ours([text]).frames).toEqual(whole);
    for (const chunks of cuts(text)) {
      expect(ours(chunks).frames, JSON.stringify(chunks)).toEqual(reference(chunks).frames);
    }
  });

  it("the same frames from random streams cut at random", () => {
    const pieces = ["data: x", "data:", "data", "event: e", "event: f", "event: ef", "event: fe", "event:", ": c", "id: 1", "retry: 9", "foo: bar", "", "data: 日本 😀"];
    const ends = ["\n", "\r", "\r\n"];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      let text = "";
      for (let line = random(12); line >= 0; line--) text += (pieces[random(pieces.length)] ?? "") + (ends[random(ends.length)] ?? "");
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        const size = random(6);
        chunks.push(text.slice(at, at + size));
        at += size;
      }
      expect(ours(chunks).frames, JSON.stringify(chunks)).toEqual(reference(chunks).frames);
    }
  });

  it("refuses a frame that grows past the limit across chunks, as the package does", () => {
    const chunks = ["data: ", "x".repeat(40), "\ndata: ", "y".repeat(40), "\n\n"];
    expect(ours(chunks, 60)).toEqual(reference(chunks, 60));
    expect(ours(chunks, 60).tooLarge).toBe(true);
    // An unended line counts too.
    expect(ours(["data: ".padEnd(100, "z")], 60).tooLarge).toBe(true);
    // Within the limit, and a frame that ends is no longer held.
    expect(ours(["data: abc\n\n", "data: def\n\n"], 12)).toEqual({ frames: [[undefined, "abc"], [undefined, "def"]], tooLarge: false });
    expect(reference(["data: abc\n\n", "data: def\n\n"], 12).tooLarge).toBe(false);
  });
});
