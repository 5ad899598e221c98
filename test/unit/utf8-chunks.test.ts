import { describe, expect, it } from "vitest";
import { Utf8ChunkDecoder as NodeDecoder, unfinishedCharacterBytes } from "../../src/core/utf8-chunks.js";
import { Utf8ChunkDecoder as WebDecoder } from "../../src/core/utf8-chunks.web.js";

/** Node's build decodes each chunk whole; the browser build's twin streams through TextDecoder. Both must give the same text. */
const DECODERS = [
  ["Node", NodeDecoder],
  ["web", WebDecoder],
] as const;

const encode = (text: string) => new TextEncoder().encode(text);

/** What the platform's own streaming decoder makes of the same chunks: the reference. */
function reference(chunks: Uint8Array[]): string {
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join("") + decoder.decode();
}

function decodeAll(Utf8ChunkDecoder: (typeof DECODERS)[number][1], chunks: Uint8Array[]): string {
  const decoder = new Utf8ChunkDecoder();
  return chunks.map((chunk) => decoder.decode(chunk)).join("") + decoder.end();
}

function splitAt(bytes: Uint8Array, ...cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts, bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

describe.each(DECODERS)("decoding UTF-8 one chunk at a time (%s)", (_, Utf8ChunkDecoder) => {
  const text = "\uFEFFdata: {\"a\":\"é — 日本 — 😀\"}\n\n";
  const bytes = encode(text);

  it("gives the same text as a streaming TextDecoder, wherever the chunks are cut", () => {
    for (let first = 0; first <= bytes.length; first++) {
      for (let second = first; second <= bytes.length; second += 3) {
        const chunks = splitAt(bytes, first, second);
        expect(decodeAll(Utf8ChunkDecoder, chunks)).toBe(reference(chunks));
      }
    }
  });

  it("delivers a character cut between chunks whole, with the chunk that completes it", () => {
    const smile = encode("😀");
    const decoder = new Utf8ChunkDecoder();
    expect(decoder.decode(smile.subarray(0, 1))).toBe("");
    expect(decoder.decode(smile.subarray(1, 3))).toBe("");
    expect(decoder.decode(smile.subarray(3))).toBe("😀");
    expect(decoder.end()).toBe("");
  });

  it("drops a byte-order mark at the start of the stream only", () => {
    const decoder = new Utf8ChunkDecoder();
    expect(decoder.decode(encode("\uFEFFa"))).toBe("a");
    expect(decoder.decode(encode("\uFEFFb"))).toBe("\uFEFFb");
  });

  it("turns bytes that are not UTF-8, and a character the stream never finishes, into U+FFFD as the platform does", () => {
    const broken = [Uint8Array.of(0x61, 0xff, 0x62, 0xe6), Uint8Array.of(0x97)];
    expect(decodeAll(Utf8ChunkDecoder, broken)).toBe(reference(broken));
    expect(decodeAll(Utf8ChunkDecoder, broken)).toBe("a\uFFFDb\uFFFD");
  });
});

describe("the Node decoder's cut", () => {
  it("counts the bytes of an unfinished character at the end", () => {
    expect(unfinishedCharacterBytes(encode("abc"))).toBe(0);
    expect(unfinishedCharacterBytes(encode("日").subarray(0, 2))).toBe(2);
    expect(unfinishedCharacterBytes(encode("😀").subarray(0, 3))).toBe(3);
    expect(unfinishedCharacterBytes(encode("😀"))).toBe(0);
    expect(unfinishedCharacterBytes(new Uint8Array())).toBe(0);
  });
});
