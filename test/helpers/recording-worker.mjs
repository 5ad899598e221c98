// The thread that hosts a RecordingServer: an HTTP server that records every
// request and answers with a responder from a TypeScript module (loaded with
// tsx). It runs apart from the test's thread, so a blocking client there can
// call it.
import { Buffer } from "node:buffer";
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const responders = await tsImport(workerData.responders, import.meta.url);
const requests = [];
let respond = (_request, res) => res.writeHead(404).end();

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    requests.push(request);
    respond(request, res, requests.length - 1);
  });
});

parentPort.on("message", (message) => {
  if (message.type === "respond") {
    const responder = responders[message.name];
    if (typeof responder !== "function") throw new Error(`no responder named ${message.name}`);
    respond = responder;
    requests.length = 0;
    parentPort.postMessage({ type: "ok" });
  } else if (message.type === "requests") {
    parentPort.postMessage({ type: "requests", requests });
  } else if (message.type === "close") {
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({ type: "ok" }));
  }
});

server.listen(0, "127.0.0.1", () => parentPort.postMessage({ type: "listening", port: server.address().port }));
