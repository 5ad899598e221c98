import type { ServerStats } from "../app/stats.js";
import type { FlowProblem } from "../flows/validate.js";

/** Messages between `startServer` (main thread) and the server's worker thread. */
export type ToWorker = { type: "stats"; id: number } | { type: "close" };

export type FromWorker =
  | { type: "ready"; port: number; host: string }
  | { type: "failed"; name: string; message: string; code?: string; problems?: readonly FlowProblem[] }
  | { type: "stats"; id: number; stats: ServerStats }
  | { type: "closed" };
