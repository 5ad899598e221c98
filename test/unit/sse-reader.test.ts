import { describe, expect, it } from "vitest";
import type { Effect } from "../../src/core/effects.js";
import { type RawEvent, SseReader } from "../../src/core/sse-reader.js";
import { APITimeoutError } from "../../src/core/errors.js";
import { FakeClock, readFrom, runScripted, streamOf, testConfig } from "../helpers/scripted.js";

function* readAll(reader: SseReader) {
  const events: RawEvent[] = [];
  for (;;) {
    const event = yield* reader.next();
    if (event === null) return events;
    events.push(event);
  }
}

/** The frames read from `chunks`, each with what it says of needing scrubbing. */
function decodeFrames(chunks: (string | Uint8Array)[]): RawEvent[] {
  const head = streamOf(200, chunks);
  const outcome = runScripted(readAll(new SseReader(head.body, 1000, testConfig())), (effect: Effect) => readFrom(effect));
  if (outcome.error) throw outcome.error;
  return outcome.value ?? [];
}

function decode(chunks: (string | Uint8Array)[]): RawEvent[] {
  return decodeFrames(chunks).map(({ event, data }) => ({ event, data }));
}

/** Every way of cutting `text` in two. */
function splits(text: string | Uint8Array): [Uint8Array, Uint8Array][] {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.slice(0, i), bytes.slice(i)]);
}

describe("SseReader", () => {
  it("reads LF, CRLF and CR framed events alike", () => {
    const expected = [
      { event: "step_started", data: '{"stepId":"s-1"}' },
      { event: "flow_completed", data: "{}" },
    ];
    for (const eol of ["\n", "\r\n", "\r"]) {
      const text = `event: step_started${eol}data: {"stepId":"s-1"}${eol}${eol}event: flow_completed${eol}data: {}${eol}${eol}`;
      expect(decode([text])).toEqual(expected);
    }
  });

  it("gives the same events however a CRLF stream is cut into chunks", () => {
    const text = 'event: a\r\ndata: {"x":1}\r\n\r\nevent: b\r\ndata: {"y":2}\r\n\r\n';
    for (const [first, second] of splits(text)) {
      expect(decode([first, second])).toEqual([
        { event: "a", data: '{"x":1}' },
        { event: "b", data: '{"y":2}' },
      ]);
    }
  });

  it("scrubs the key from every frame however the stream is cut, and marks plain only frames with neither key nor escape", () => {
    // testConfig's key is nk_secret_key.
    const text =
      'data: {"a":"before"}\n\n' +
      'data: {"echo":"Bearer nk_secret_key"}\n\n' +
      'data: {"b":"between"}\n\n' +
      'data: {"escaped":"nk\\u005fsecret_key"}\n\n' +
      'data: {"c":"after"}\n\n';
    for (const [first, second] of splits(text)) {
      const frames = decodeFrames([first, second]);
      expect(frames.map((frame) => frame.data)).toEqual([
        '{"a":"before"}',
        '{"echo":"Bearer [redacted]"}',
        '{"b":"between"}',
        '{"escaped":"nk\\u005fsecret_key"}',
        '{"c":"after"}',
      ]);
      // The escaped key is found after parsing (decodeEvent scrubs what is not plain): its frame is never plain.
      expect(frames[3]?.plain).toBe(false);
      for (const frame of frames) if (frame.plain === true) expect(frame.data).not.toMatch(/nk_secret_key|\\/);
    }
    // A stream that holds neither, in one chunk: every frame but the first to end in it needs no scrubbing.
    expect(decodeFrames(['data: {"x":1}\n\ndata: {"y":2}\n\n']).map((frame) => frame.plain)).toEqual([false, true]);
  });

  it("keeps multi-byte UTF-8 intact when a character is split across chunks", () => {
    const text = 'data: {"text":"héllo wörld 日本語 🎉"}\n\n';
    for (const [first, second] of splits(text)) {
      expect(decode([first, second])).toEqual([{ event: undefined, data: '{"text":"héllo wörld 日本語 🎉"}' }]);
    }
  });

  it("skips a leading byte-order mark, comments, id and retry fields", () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const rest = ": keep-alive\nid: 7\nretry: 1000\nevent: step_paused\ndata: {}\n\n: ping\n\n";
    expect(decode([bom, rest])).toEqual([{ event: "step_paused", data: "{}" }]);
  });

  it("joins multi-line data with newlines", () => {
    expect(decode(['data: {"a":\ndata: 1}\n\n'])).toEqual([{ event: undefined, data: '{"a":\n1}' }]);
  });

  it("reads a 1 MB event delivered in small chunks", () => {
    const big = "x".repeat(1024 * 1024);
    const text = `event: step_output\ndata: {"outputData":"${big}"}\n\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 1000) chunks.push(text.slice(i, i + 1000));
    const [event] = decode(chunks);
    expect(event?.event).toBe("step_output");
    expect((JSON.parse(event?.data ?? "{}") as { outputData: string }).outputData).toHaveLength(big.length);
  });

  it("drops a final frame that never got its blank line", () => {
    expect(decode(['data: {"a":1}\n\ndata: {"b":2}\n'])).toEqual([{ event: undefined, data: '{"a":1}' }]);
  });

  it("asks for the next chunk only when every decoded event has been taken", () => {
    const head = streamOf(200, ['data: 1\n\ndata: 2\n\n', 'data: 3\n\n']);
    const reader = new SseReader(head.body, 1000, testConfig());
    const reads: number[] = [];
    function* takeTwo() {
      const a = yield* reader.next();
      const b = yield* reader.next();
      return [a?.data, b?.data];
    }
    const outcome = runScripted(takeTwo(), (effect) => {
      reads.push(1);
      return readFrom(effect);
    });
    expect(outcome.value).toEqual(["1", "2"]);
    expect(reads).toHaveLength(1);
  });

  it("bounds the wait for an event, so that keep-alive comments alone time out", () => {
    const clock = new FakeClock();
    const head = streamOf(200, ['data: {"first":1}\n\n', ...Array.from({ length: 20 }, () => ": ping\n\n")]);
    const waits: number[] = [];
    // Each chunk arrives 100 ms after it was asked for; a wait shorter than that times out, as a transport would.
    const outcome = runScripted(readAll(new SseReader(head.body, 350, testConfig({}, clock))), (effect) => {
      if (effect.op !== "read") throw new Error(`unexpected ${effect.op}`);
      waits.push(effect.timeoutMs);
      if (effect.timeoutMs < 100) {
        clock.time += effect.timeoutMs;
        throw new APITimeoutError(`timed out after ${effect.timeoutMs} ms`, { code: "TIMEOUT" });
      }
      clock.time += 100;
      return readFrom(effect);
    });
    expect(outcome.error).toBeInstanceOf(APITimeoutError);
    expect((outcome.error as Error).message).toMatch(/timed out after 350 ms without an event/);
    // The first event came in time; then each comment shortened the wait for the next event.
    expect(waits).toEqual([350, 350, 250, 150, 50]);
  });
});
