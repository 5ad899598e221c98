import type { MessagePort } from "node:worker_threads";
import type { FaultRunSize } from "./plan.js";
import type { Door } from "./lane.js";
import type { Tally } from "./tally.js";

/** What the checker (the parent) tells the load generator (the child process). */
export type ToLoad =
  | { type: "start"; size: FaultRunSize; apiKey: string; door: Door }
  /** The server moved (or left): calls from now on go there, in this phase of the run. */
  | { type: "door"; door: Door };

/** What the load generator tells the checker. */
export type FromLoad =
  | { type: "progress"; settled: number }
  | { type: "report"; report: LoadReport };

export interface MemorySample {
  settled: number;
  /** Taken after every client was closed (the others are taken under load). */
  afterClose?: boolean;
  heapUsedMB: number;
  externalMB: number;
  rssMB: number;
}

export interface LoadReport {
  tally: Tally;
  /** One byte per call: see `encodeStatus`. */
  statuses: Uint8Array;
  memory: MemorySample[];
  /** Handles and requests still keeping the process alive after every client was closed, beyond those it started with. */
  resourcesLeft: string[];
  durationMs: number;
}

/** What a blocking lane's thread is started with. */
export interface BlockingLaneData {
  module: string;
  size: FaultRunSize;
  apiKey: string;
  door: Door;
  /** Int32Array over it: [next call index, calls settled]. */
  counters: SharedArrayBuffer;
  statuses: SharedArrayBuffer;
  doors: MessagePort;
}
