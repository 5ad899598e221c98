/** Event streams a hostile or careless server might send (RawServer responders). */
import type { RawResponder } from "../../reliability/support/raw-server.js";
import { completedRun, frame, pump, streamHead, trickle } from "./raw-http.js";

export const UNICODE_RESULT = "naïve café, 日本語, emoji 🎉, ẞ";
export const HUGE_EVENT_CHARS = 5_000_000;
const endStream = (lineEnd = "\n") => completedRun("done", lineEnd);

export const crlfFraming: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(endStream("\r\n"));
};

export const crFraming: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(endStream("\r"));
};

/** CRLF framing written one byte at a time: a chunk may end between CR and LF. */
export const crlfFramingByteByByte: RawResponder = (_request, socket) => {
  streamHead(socket);
  void trickle(socket, Buffer.from(endStream("\r\n"))).then(() => socket.end());
};

export const byteOrderMark: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(`\uFEFF${endStream()}`);
};

/** Multi-byte UTF-8 cut in the middle of characters. */
export const utf8SplitAcrossChunks: RawResponder = (_request, socket) => {
  streamHead(socket);
  void trickle(socket, Buffer.from(completedRun(UNICODE_RESULT))).then(() => socket.end());
};

/** Comments, multi-line data, `id:`, `retry:`, unknown fields and events, and a payload key named `type`. */
export const everySseFeature: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(
    ": a comment\n\n" +
      "retry: 5000\nid: 1\nevent: run_started\ndata: {\"runId\":\"run-1\",\n" +
      'data: "executionId":"exec-1"}\n\n' +
      "event: ping\ndata: {}\n\n" +
      "unknown-field: x\n" +
      'event: step_started\ndata: {"stepId":"s","type":"not the type"}\n\n' +
      frame("step_completed", { stepId: "s", output: "done" }) +
      frame("flow_completed", { result: "done" }),
  );
};

/**
 * Frames named like members of an object's prototype, by `event:` and by
 * `eventType`, between the events of a run: a client that looks names up in a
 * plain object would take them for known events.
 */
export const prototypeEventNames: RawResponder = (_request, socket) => {
  streamHead(socket);
  const inherited = ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf", "__defineGetter__"];
  const noise = inherited.map((name) => frame(name, { stepId: "s", output: "forged" }) + `data: ${JSON.stringify({ eventType: name, stepId: "s" })}\n\n`).join("");
  const [started = "", ...rest] = completedRun("done").split(/(?<=\n\n)/);
  socket.end(started + noise + rest.join(""));
};

/** One `step_completed` whose data is 5 MB. */
export const hugeEvent: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.write(frame("run_started", { runId: "run-1", executionId: "exec-1" }));
  socket.write('event: step_completed\ndata: {"stepId":"s","output":"');
  void pump(socket, Buffer.alloc(64 * 1024, "x"), HUGE_EVENT_CHARS).then(() => {
    socket.end('"}\n\n' + frame("flow_completed", { result: "done" }));
  });
};

/** One event larger than the client accepts (32 MiB): it must give up, not grow without end. */
export const eventBeyondLimit: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.write('event: step_completed\ndata: {"stepId":"s","output":"');
  void pump(socket, Buffer.alloc(64 * 1024, "y"), 40 * 1024 * 1024).then(() => socket.end('"}\n\n'));
};

/** The head and one event, then silence, with the connection left open. */
export const silentForever: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.write(frame("run_started", { runId: "run-1", executionId: "exec-1" }));
};

/** Keep-alive comments every 50 ms, and never an event. */
export const heartbeatsForever: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.write(frame("run_started", { runId: "run-1", executionId: "exec-1" }));
  const timer = setInterval(() => socket.write(": ping\n\n"), 50);
  socket.once("close", () => clearInterval(timer));
};

export const endsWithoutTerminalEvent: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(frame("run_started", { runId: "run-1", executionId: "exec-1" }) + frame("step_started", { stepId: "s" }));
};

/** Every /step answer pauses the run without completing a step: a client that asks again would ask forever. */
export const pausesWithoutProgress: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(frame("run_started", { runId: "run-1", executionId: "exec-1" }) + frame("step_started", { stepId: "s" }) + frame("step_paused", { stepId: "s", stepIndex: 0 }));
};

export const malformedEventData: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(frame("run_started", { runId: "run-1", executionId: "exec-1" }) + "event: step_completed\ndata: {not json\n\n");
};

/** A step_completed with no stepId: the run cannot go on from it. */
export const eventMissingFields: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(frame("run_started", { runId: "run-1", executionId: "exec-1" }) + frame("step_completed", { output: "?" }));
};
