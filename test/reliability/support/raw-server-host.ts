/**
 * The thread behind a RawServer: reads HTTP requests off raw sockets (just
 * enough of HTTP/1.1 to find the head and a Content-Length body) and hands
 * each one, with its socket, to the current responder.
 */
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import type { RawRequest, RawResponder } from "./raw-server.js";

const port = parentPort;
if (port === null) throw new Error("raw-server-host.ts runs as a worker thread (use RawServer.start)");
const responders = (await import(String((workerData as { responders: string }).responders))) as Record<string, unknown>;
const requests: RawRequest[] = [];
const sockets = new Set<net.Socket>();
let respond: RawResponder = (_request, socket) => void socket.destroy();

const server = net.createServer((socket) => {
  sockets.add(socket);
  socket.on("error", () => undefined);
  socket.on("close", () => sockets.delete(socket));
  let buffered = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let request = take(); request !== undefined; request = take()) {
      requests.push(request);
      respond(request, socket);
    }
  });
  /** The next whole request in the buffer, if one has arrived. */
  function take(): RawRequest | undefined {
    const end = buffered.indexOf("\r\n\r\n");
    if (end < 0) return undefined;
    const [requestLine = "", ...lines] = buffered.subarray(0, end).toString("latin1").split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    if (buffered.length < end + 4 + length) return undefined;
    const body = buffered.subarray(end + 4, end + 4 + length).toString("utf8");
    buffered = buffered.subarray(end + 4 + length);
    const [method = "", url = ""] = requestLine.split(" ");
    return { method, url, headers, body };
  }
});

port.on("message", (message: { type: string; name?: string }) => {
  if (message.type === "respond") {
    const responder = responders[message.name ?? ""];
    if (typeof responder !== "function") throw new Error(`no responder named ${message.name}`);
    respond = responder as RawResponder;
    requests.length = 0;
    // A stream left open by the last answer would otherwise outlive its test.
    for (const socket of sockets) socket.destroy();
    port.postMessage({ type: "ok" });
  } else if (message.type === "requests") {
    port.postMessage({ type: "requests", requests });
  } else if (message.type === "close") {
    for (const socket of sockets) socket.destroy();
    server.close(() => port.postMessage({ type: "ok" }));
  }
});

server.listen(0, "127.0.0.1", () => port.postMessage({ type: "listening", port: (server.address() as net.AddressInfo).port }));
