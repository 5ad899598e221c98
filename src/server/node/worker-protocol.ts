import type { ServerStats } from "../app/stats.js";

/** Messages between `startServer` (main thread) and the server's worker thread. */
export type ToWorker = { type: "stats"; id: number } | { type: "close" };

export type FromWorker =
  | { type: "ready"; port: number; host: string }
  | { type: "failed"; name: string; message: string }
  | { type: "stats"; id: number; stats: ServerStats }
  | { type: "closed" };
