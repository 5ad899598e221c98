/**
 * Event streams on keep-alive connections (RawServer responders). Each run
 * says which connection carried it, so a test can tell a reused socket from
 * a new one.
 */
import type { Socket } from "node:net";
import type { RawResponder } from "../../reliability/support/raw-server.js";
import { frame, head } from "./raw-http.js";

const connectionIds = new WeakMap<Socket, number>();
let connections = 0;

function connectionOf(socket: Socket): number {
  let id = connectionIds.get(socket);
  if (id === undefined) {
    id = ++connections;
    connectionIds.set(socket, id);
  }
  return id;
}

function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}

function run(connection: number): string {
  return [
    frame("run_started", { runId: "run-1", executionId: "exec-1", connection }),
    frame("step_started", { stepId: "s" }),
    frame("step_completed", { stepId: "s", output: "done" }),
    frame("flow_completed", { runId: "run-1", executionId: "exec-1", result: "done" }),
  ].join("");
}

/** The whole run and the end of the chunked answer in one write: the answer is complete when its last event is read. */
export const completeStream: RawResponder = (_request, socket) => {
  socket.write(head(200, { "content-type": "text/event-stream", "transfer-encoding": "chunked" }) + chunk(run(connectionOf(socket))) + "0\r\n\r\n");
};

/** The whole run, but never the end of the chunked answer: a client that waited for it would wait for good. */
export const unendingStream: RawResponder = (_request, socket) => {
  socket.write(head(200, { "content-type": "text/event-stream", "transfer-encoding": "chunked" }) + chunk(run(connectionOf(socket))));
};
