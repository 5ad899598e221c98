/**
 * Event streams whose events arrive many to a chunk (RawServer responders),
 * for the client's handing over of the events read together: where a chunk
 * cuts a frame, where one of them is malformed, and where the caller leaves
 * in the middle of them.
 */
import type { RawResponder } from "../../reliability/support/raw-server.js";
import { frame, json, streamHead } from "./raw-http.js";

const RUN = { runId: "run-1", executionId: "exec-1" };

function steps(count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += frame("step_completed", { stepId: `s-${i}`, output: i });
  return text;
}

/** Five steps in two writes 30 ms apart, the second starting inside the third step's frame. */
export const splitAcrossChunks: RawResponder = (_request, socket) => {
  streamHead(socket);
  const text = frame("run_started", RUN) + steps(5) + frame("flow_completed", { ...RUN, result: "done" });
  const cut = text.indexOf('"s-2"') + 2;
  socket.write(text.slice(0, cut));
  setTimeout(() => socket.end(text.slice(cut)), 30);
};

/** One write: two steps, a step_completed without its stepId, and more steps after it. */
export const invalidMidBatch: RawResponder = (_request, socket) => {
  streamHead(socket);
  socket.end(frame("run_started", RUN) + steps(2) + frame("step_completed", { output: "no id" }) + steps(2) + frame("flow_completed", RUN));
};

/** How many streams of `endlessAfterBurst` their client has closed. */
let left = 0;

/**
 * One write of six steps, then a comment every 10 ms for as long as the
 * client stays. `GET …/left` answers how many such streams were closed.
 */
export const endlessAfterBurst: RawResponder = (request, socket) => {
  if (request.url.endsWith("/left")) return json(socket, 200, { left });
  streamHead(socket);
  socket.write(frame("run_started", RUN) + steps(6));
  const timer = setInterval(() => socket.write(": still here\n\n"), 10);
  socket.on("close", () => {
    clearInterval(timer);
    left++;
  });
};
