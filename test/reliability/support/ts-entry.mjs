// Starts a TypeScript module of the reliability suites in a fresh child
// process (`node ts-entry.mjs MODULE`) or worker thread (workerData.module).
// `noukai` must resolve to the build there, as it does in the tests: the
// blocking client and the server start their own threads from dist/.
import { isMainThread, workerData } from "node:worker_threads";
import process from "node:process";
import { pathToFileURL, URL } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.dist.json", import.meta.url).pathname });
const target = isMainThread ? process.argv[2] : workerData.module;
if (typeof target !== "string") throw new Error("ts-entry.mjs needs a module: an argument, or workerData.module");
await import(target.startsWith("file:") ? target : pathToFileURL(target).href);
