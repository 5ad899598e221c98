import type { FaultKind } from "../faults/rules.js";
import type { RouteKind } from "./router.js";

/** Counters a running server reports (plain data). */
export interface ServerStats {
  /** Requests by route kind ("unmatched" for 404s, "preflight" for OPTIONS, "refused" for a Host or Origin not allowed). */
  requests: Record<string, number>;
  /** Faults injected, by kind. */
  faults: Partial<Record<FaultKind, number>>;
  executionsStarted: number;
  idempotentReplays: number;
  /** Current sizes of the bounded stores (counts, and bytes as the server weighs them). */
  stored: {
    executions: number;
    sessions: number;
    idempotencyRecords: number;
    queuedJobs: number;
    runningJobs: number;
    openStreams: number;
    executionBytes: number;
    idempotencyBytes: number;
    queuedJobBytes: number;
    bodyBytesInFlight: number;
  };
}

export class StatsCounter {
  readonly requests: Record<string, number> = {};
  readonly faults: Partial<Record<FaultKind, number>> = {};
  executionsStarted = 0;
  idempotentReplays = 0;

  request(kind: RouteKind | "unmatched" | "preflight" | "refused"): void {
    this.requests[kind] = (this.requests[kind] ?? 0) + 1;
  }

  fault(kind: FaultKind): void {
    this.faults[kind] = (this.faults[kind] ?? 0) + 1;
  }
}
