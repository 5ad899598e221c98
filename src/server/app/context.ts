import { setMaxListeners } from "node:events";
import type { RunLimits } from "../engine/limits.js";
import { FaultInjector } from "../faults/injector.js";
import { parseFaultFlag } from "../faults/parse.js";
import type { FaultRule } from "../faults/rules.js";
import { builtInFlows } from "../flows/built-in.js";
import { FlowRegistry } from "../flows/registry.js";
import type { FlowDefinition } from "../flows/types.js";
import { assertFlow } from "../flows/validate.js";
import { Persistence } from "../persist/persistence.js";
import { restoreState } from "../persist/restore.js";
import { SqliteStore } from "../persist/sqlite-store.js";
import { resolveConfig, type ResolvedConfig, type ServerAppOptions } from "../options.js";
import type { SseWriter } from "../sse/writer.js";
import { ByteBudget } from "../state/byte-budget.js";
import { CreditLedger } from "../state/credit-ledger.js";
import { IdempotencyStore } from "../state/idempotency-store.js";
import { JobQueue } from "../state/job-queue.js";
import { RateLimiter } from "../state/rate-limiter.js";
import { RunStore } from "../state/run-store.js";
import { SessionStore } from "../state/session-store.js";
import { HostPolicy } from "./host-policy.js";
import { OriginPolicy } from "./origin-policy.js";
import { StatsCounter } from "./stats.js";

/** Everything a handler may use: configuration, flows, stores. One per app. */
export interface AppContext {
  config: ResolvedConfig;
  registry: FlowRegistry;
  runs: RunStore;
  sessions: SessionStore;
  idempotency: IdempotencyStore;
  jobs: JobQueue;
  ledger: CreditLedger;
  limiter: RateLimiter | undefined;
  faults: FaultInjector;
  stats: StatsCounter;
  now: () => number;
  /** Aborted by close(): interrupts waits and steps in flight. */
  closing: AbortController;
  /** Open SSE streams, closed by close(). */
  streams: Set<SseWriter>;
  /** Bytes of request bodies being received, shared by all requests. */
  bodies: ByteBudget;
  /** What a run may output, and the room the run store has left, for the engine. */
  limits: RunLimits;
  /** The Host names answered (DNS rebinding) and the web pages let in (CORS). */
  hosts: HostPolicy;
  origins: OriginPolicy;
  /** Mirrors runs, sessions and idempotency records into the data directory (does nothing without one). */
  persistence: Persistence;
}

export function createContext(options: ServerAppOptions): AppContext {
  const config = resolveConfig(options);
  const now = options.now ?? Date.now;
  const registry = flowRegistry(options, options.flows ?? []);
  const persistence = new Persistence(now);
  // Opened first, so that what the stores let go while the state is read back is deleted from it too.
  const store = options.dataDir === undefined ? undefined : SqliteStore.open(options.dataDir);
  if (store) persistence.attach(store);
  const runs = new RunStore({ maxRuns: config.maxExecutions, maxBytes: config.maxRunBytes, ttlMs: config.executionTtlMs, now, onEvict: (id) => persistence.dropRun(id) });
  const ctx: AppContext = {
    config,
    registry,
    runs,
    sessions: new SessionStore({
      maxSessions: config.maxSessions,
      ttlMs: config.sessionTtlMs,
      maxExecutionsPerSession: config.maxExecutionsPerSession,
      now,
      onChange: (id, runIds) => (runIds ? persistence.saveSession(id, runIds) : persistence.dropSession(id)),
    }),
    idempotency: new IdempotencyStore({
      maxEntries: config.maxIdempotencyRecords,
      maxBytes: config.maxIdempotencyBytes,
      ttlMs: config.idempotencyTtlMs,
      now,
      onChange: (scope, kept) => (kept ? persistence.saveRecord(scope, kept) : persistence.dropRecord(scope)),
    }),
    jobs: new JobQueue({ concurrency: config.jobConcurrency, maxQueued: config.maxQueuedJobs, maxQueuedBytes: config.maxQueuedJobBytes, pickupMs: config.jobLatencyMs }),
    ledger: new CreditLedger(options.credits ?? {}, (org, balance) => persistence.saveBalance(org, balance)),
    limiter: options.rateLimit ? new RateLimiter(options.rateLimit, now) : undefined,
    faults: new FaultInjector(faultRules(options.faults ?? []), options.seed ?? 1),
    stats: new StatsCounter(),
    now,
    closing: closingController(),
    streams: new Set(),
    bodies: new ByteBudget(config.maxBodyBytesInFlight),
    limits: { maxStepOutputBytes: config.maxStepOutputBytes, maxRunOutputBytes: config.maxRunOutputBytes, roomBytes: (run) => runs.room(run) },
    hosts: new HostPolicy(options.allowedHosts),
    origins: new OriginPolicy(options.cors),
    persistence,
  };
  if (store) {
    try {
      restoreState(ctx, store);
    } catch (error) {
      store.close();
      throw error;
    }
  }
  return ctx;
}

/**
 * Every open stream and every request waiting out an injected latency listens
 * to this signal: hundreds at once is ordinary load, not the leak Node's
 * listener-count warning is meant to catch.
 */
function closingController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

/** Rules given as `--fault` strings are read as the flag reads them (a bad one throws a RangeError naming it). */
function faultRules(faults: readonly (FaultRule | string)[]): FaultRule[] {
  return faults.map((rule) => (typeof rule === "string" ? parseFaultFlag(rule) : rule));
}

/** The flows served: the built-in examples (unless turned off), then the caller's, each checked (FlowValidationError). */
export function flowRegistry(options: Pick<ServerAppOptions, "builtInFlows">, flows: readonly FlowDefinition[]): FlowRegistry {
  const userFlows = flows.map((flow, index) => assertFlow(flow, `flows[${index}]`));
  return new FlowRegistry([...(options.builtInFlows === false ? [] : builtInFlows()), ...userFlows]);
}
