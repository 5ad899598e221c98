import { describe, expect, it } from "vitest";
import type { ByteSink } from "../../src/server/byte-sink.js";
import { formatComment, formatEvent, SseFrameError } from "../../src/server/sse/frame.js";
import { SseWriter } from "../../src/server/sse/writer.js";
import { makeApp, parseSse } from "./helpers.js";

function memorySink(options: { blocked?: boolean } = {}) {
  const chunks: string[] = [];
  const listeners: Array<() => void> = [];
  let closed = false;
  let destroyed = false;
  const waiting: Array<() => void> = [];
  const sink: ByteSink = {
    write: (chunk) => {
      chunks.push(chunk);
      return !options.blocked;
    },
    drain: () => new Promise((resolve) => void waiting.push(resolve)),
    end: () => {
      closed = true;
      listeners.forEach((l) => l());
    },
    destroy: () => {
      destroyed = true;
      sink.end();
    },
    get closed() {
      return closed;
    },
    onClose: (listener) => void listeners.push(listener),
  };
  return { sink, chunks, text: () => chunks.join(""), destroyed: () => destroyed, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

describe("SSE frames", () => {
  it("formats an event with eventType and one line of JSON", () => {
    expect(formatEvent("step_paused", { stepId: "a", stepIndex: 0 })).toBe(
      'event: step_paused\ndata: {"eventType":"step_paused","stepId":"a","stepIndex":0}\n\n',
    );
    expect(formatEvent("flow_completed", {})).toBe('event: flow_completed\ndata: {"eventType":"flow_completed"}\n\n');
  });

  it("keeps line breaks inside values escaped", () => {
    const frame = formatEvent("step_output", { stepId: "a", outputData: "line1\nline2\r\nline3\u2028" });
    expect(parseSse(frame)[0]?.data.outputData).toBe("line1\nline2\r\nline3\u2028");
  });

  it.each([
    ["bad name", () => formatEvent("Step Done", {})],
    ["name with a newline", () => formatEvent("a\nb", {})],
    ["empty name", () => formatEvent("", {})],
    ["array payload", () => formatEvent("x", [])],
    ["type key", () => formatEvent("x", { type: "y" })],
    ["eventType mismatch", () => formatEvent("x", { eventType: "y" })],
    ["payload whose toJSON is not an object", () => formatEvent("x", { toJSON: () => "text" })],
    ["BigInt value", () => formatEvent("x", { n: 1n })],
    ["multi-line comment", () => formatComment("a\nb")],
  ])("refuses a %s", (_name, make) => {
    expect(make).toThrow(_name === "BigInt value" ? TypeError : SseFrameError);
  });
});

describe("SseWriter", () => {
  it("batches frames written in one tick into one chunk", async () => {
    const memory = memorySink();
    const writer = new SseWriter(memory.sink, { heartbeatMs: 0 });
    writer.event("a", { n: 1 });
    writer.event("b", { n: 2 });
    expect(memory.chunks).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(memory.chunks).toHaveLength(1);
    writer.close();
    expect(parseSse(memory.text()).map((e) => e.event)).toEqual(["a", "b"]);
  });

  it("reports backpressure until the sink drains", async () => {
    const memory = memorySink({ blocked: true });
    const writer = new SseWriter(memory.sink, { heartbeatMs: 0 });
    writer.event("a", {});
    writer.flush();
    const waiting = writer.drain();
    expect(waiting).toBeInstanceOf(Promise);
    memory.release();
    await waiting;
    expect(writer.drain()).toBeUndefined();
  });

  it("cuts the connection after N events and ignores later ones", () => {
    const memory = memorySink();
    const writer = new SseWriter(memory.sink, { heartbeatMs: 0, cutAfterEvents: 2 });
    writer.event("a", {});
    writer.event("b", {});
    writer.event("c", {});
    expect(memory.destroyed()).toBe(true);
    expect(parseSse(memory.text()).map((e) => e.event)).toEqual(["a", "b"]);
  });

  it("sends `: ping` comments on an idle stream", async () => {
    const memory = memorySink();
    const writer = new SseWriter(memory.sink, { heartbeatMs: 5 });
    while (!memory.text().includes(": ping\n\n")) await new Promise((resolve) => setTimeout(resolve, 5));
    writer.close();
    expect(memory.text()).toMatch(/^(: ping\n\n)+$/);
  });
});

describe("streams through app.fetch", () => {
  it("deliver a long runRemaining stream to a slow reader without stalling", async () => {
    const steps = Array.from({ length: 2_000 }, (_, i) => ({ id: `s${i}`, template: "{{message}}" }));
    const app = makeApp({ flows: [{ org: "examples", project: "demo", slug: "long", draft: { steps } }] });
    const response = await app.fetch(
      new Request("http://local.test/api/v1/seq/examples/demo/long/step", {
        method: "POST",
        headers: { authorization: "Bearer nk_x" },
        body: '{"message":"m","runRemaining":true}',
      }),
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(parseSse(text).filter((e) => e.event === "step_completed")).toHaveLength(2_000);
  });
});
