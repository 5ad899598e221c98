import type { ClientKind } from "../../helpers/clients.js";
import { OPERATION_NAMES, type OperationName } from "./operations.js";

/**
 * What one thread of the load generator counted. Counters only (and the
 * first few problems in words), so that memory stays flat however long the
 * run; threads merge theirs at the end.
 */
export interface Tally {
  calls: Record<ClientKind, number>;
  byOperation: Record<string, OperationTally>;
  /** Phases of the server's availability: "first door", "outage", "second door", "no door". */
  byPhase: Record<string, { ok: number; typedError: number; wrong: number }>;
  /** Retries by what they answered: a status, or "connection". */
  retries: Record<string, number>;
  unhandledRejections: number;
  /** The longest call, as a share of its deadline. */
  slowest: { share: number; what: string };
  problemCount: number;
  problems: string[];
}

export interface OperationTally {
  ok: number;
  wrong: number;
  /** Time spent in these calls, all together. */
  totalMs: number;
  /** Typed errors by class (and code). */
  typedErrors: Record<string, number>;
}

const MAX_PROBLEMS_KEPT = 40;

export function newTally(): Tally {
  return {
    calls: { AsyncNoukai: 0, Noukai: 0 },
    byOperation: {},
    byPhase: {},
    retries: {},
    unhandledRejections: 0,
    slowest: { share: 0, what: "" },
    problemCount: 0,
    problems: [],
  };
}

export function addProblem(tally: Tally, problem: string): void {
  tally.problemCount += 1;
  if (tally.problems.length < MAX_PROBLEMS_KEPT) tally.problems.push(problem);
}

export function operationTally(tally: Tally, name: string): OperationTally {
  return (tally.byOperation[name] ??= { ok: 0, wrong: 0, totalMs: 0, typedErrors: {} });
}

export function phaseTally(tally: Tally, phase: string): { ok: number; typedError: number; wrong: number } {
  return (tally.byPhase[phase] ??= { ok: 0, typedError: 0, wrong: 0 });
}

const add = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
};

export function mergeTallies(tallies: readonly Tally[]): Tally {
  const total = newTally();
  for (const tally of tallies) {
    add(total.calls, tally.calls);
    for (const [name, op] of Object.entries(tally.byOperation)) {
      const into = operationTally(total, name);
      into.ok += op.ok;
      into.wrong += op.wrong;
      into.totalMs += op.totalMs;
      add(into.typedErrors, op.typedErrors);
    }
    for (const [phase, counts] of Object.entries(tally.byPhase)) {
      const into = phaseTally(total, phase);
      into.ok += counts.ok;
      into.typedError += counts.typedError;
      into.wrong += counts.wrong;
    }
    add(total.retries, tally.retries);
    total.unhandledRejections += tally.unhandledRejections;
    if (tally.slowest.share > total.slowest.share) total.slowest = tally.slowest;
    total.problemCount += tally.problemCount;
    total.problems.push(...tally.problems.slice(0, MAX_PROBLEMS_KEPT - total.problems.length));
  }
  return total;
}

/**
 * Each call's ending, one byte per call in memory every thread shares:
 * `operation << 2 | outcome`, 0 while the call has not settled. The checker
 * reads it to know which sessions must show an execution.
 */
export const OUTCOME = { ok: 1, typedError: 2, wrong: 3 } as const;
export type OutcomeCode = (typeof OUTCOME)[keyof typeof OUTCOME];

export function encodeStatus(operation: OperationName, outcome: OutcomeCode): number {
  return (OPERATION_NAMES.indexOf(operation) << 2) | outcome;
}

export function decodeStatus(byte: number): { operation: OperationName; outcome: OutcomeCode } | undefined {
  if (byte === 0) return undefined;
  const operation = OPERATION_NAMES[byte >> 2];
  if (operation === undefined) return undefined;
  return { operation, outcome: (byte & 3) as OutcomeCode };
}
