// A worker that takes every command and never answers: an I/O worker that hung.
import { workerData } from "node:worker_threads";

workerData.port.on("message", () => {});
