import type { JsonValue } from "../flows/types.js";
import type { StepAttempt, StepError, StepRecord, ToolRound } from "./execution.js";
import type { Tokens } from "./usage.js";

/**
 * A finished run's parts as two flat arrays: their numbers in one (kept
 * unboxed: timestamps are not small integers) and their references in the
 * other. A server keeps thousands of finished runs, and each is copied twice
 * by the young-generation collector before it settles in the old one, at a
 * cost that goes with the number of objects: a one-step run's timestamps,
 * records, attempts and event log were sixteen objects, packed they are
 * four. Reading the run rebuilds them, equal field for field and in the same
 * key order (see Execution).
 */
export interface PackedRun {
  readonly numbers: number[];
  readonly refs: unknown[];
}

/** What a finished run packs (see `packRun`). */
export interface RunParts {
  stepCount: number;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  records: readonly StepRecord[];
  steps: readonly StepRecord[];
  attempts: readonly StepAttempt[];
  failedStep: StepRecord | undefined;
  /** The event log's limit, the events it dropped, and its entries (only derivable events: small integers). */
  eventLimit: number;
  dropped: number;
  events: readonly number[];
}

/** The parts back, as new objects (the same array serves steps and records). */
export interface UnpackedRun {
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  records: StepRecord[];
  attempts: StepAttempt[];
  failedStep: StepRecord | undefined;
  eventLimit: number;
  dropped: number;
  events: number[];
}

// The numbers: a header, then each record's, each attempt's, each event's.
const RECORDS = 0;
const ATTEMPTS = 1;
const FAILED_AT = 2;
const CREATED_AT = 3;
const STARTED_AT = 4;
const COMPLETED_AT = 5;
const EVENT_LIMIT = 6;
const DROPPED = 7;
const EVENTS = 8;
const HEADER = 9;
const RECORD_NUMBERS = 6;
const ATTEMPT_NUMBERS = 7;
/** References per record, and per attempt. */
const REFS = 7;

/**
 * Steps past which a run is not packed, and records and attempts together. The
 * savings are for the many short runs a server keeps; a long run's own events
 * outweigh one copy of its objects, and packing it is not free (a
 * 10,000-step run took 2 to 10 ms).
 */
const MAX_PACKED_STEPS = 64;
const MAX_PACKED = 256;

/** Whether a run of `stepCount` steps is packed when it ends (unless its attempts are too many, or its lists unusual). */
export function packs(stepCount: number): boolean {
  return stepCount <= MAX_PACKED_STEPS;
}

/** What the numbers store for `null`; a part that holds NaN itself is not packed. */
const NULL = Number.NaN;
/** What the references store for a record without a `toolRounds` key. */
const NO_ROUNDS = Symbol("no toolRounds");

/**
 * Packs a finished run's parts when they take the usual shape: every step
 * ran once, in order (`steps` is `records`, with no gaps), and the failed
 * step (if any) is one of them. Otherwise undefined: the run keeps its objects.
 */
export function packRun(parts: RunParts): PackedRun | undefined {
  const { records, attempts, events } = parts;
  if (!packs(parts.stepCount) || parts.steps !== records || records.length + attempts.length > MAX_PACKED || holdsNaN(parts.createdAt) || holdsNaN(parts.startedAt) || holdsNaN(parts.completedAt)) return undefined;
  // Exact-size arrays (an array grown by push keeps spare room).
  const numbers = new Array<number>(HEADER + records.length * RECORD_NUMBERS + attempts.length * ATTEMPT_NUMBERS + events.length);
  const refs = new Array<unknown>((records.length + attempts.length) * REFS);
  let failedAt = -1;
  let at = HEADER;
  let ref = 0;
  for (let index = 0; index < records.length; index++, at += RECORD_NUMBERS, ref += REFS) {
    const record = records[index];
    if (record === undefined || holdsNaN(record.startedAt) || holdsNaN(record.completedAt)) return undefined;
    if (record === parts.failedStep) failedAt = index;
    numbers[at] = record.stepIndex;
    numbers[at + 1] = record.attempts;
    numbers[at + 2] = record.startedAt;
    numbers[at + 3] = record.completedAt ?? NULL;
    numbers[at + 4] = record.durationMs;
    numbers[at + 5] = record.costPico;
    refs[ref] = record.stepId;
    refs[ref + 1] = record.status;
    refs[ref + 2] = record.tokens;
    refs[ref + 3] = record.input;
    refs[ref + 4] = record.output;
    refs[ref + 5] = record.error;
    refs[ref + 6] = Object.hasOwn(record, "toolRounds") ? record.toolRounds : NO_ROUNDS;
  }
  if (parts.failedStep !== undefined && failedAt < 0) return undefined;
  for (const attempt of attempts) {
    if (holdsNaN(attempt.loopIndex) || holdsNaN(attempt.startedAt) || holdsNaN(attempt.completedAt)) return undefined;
    numbers[at] = attempt.stepIndex;
    numbers[at + 1] = attempt.attempt;
    numbers[at + 2] = attempt.loopIndex ?? NULL;
    numbers[at + 3] = attempt.startedAt;
    numbers[at + 4] = attempt.completedAt ?? NULL;
    numbers[at + 5] = attempt.durationMs;
    numbers[at + 6] = attempt.costPico;
    refs[ref] = attempt.stepId;
    refs[ref + 1] = attempt.status;
    refs[ref + 2] = attempt.modelUsed;
    refs[ref + 3] = attempt.tokens;
    refs[ref + 4] = attempt.input;
    refs[ref + 5] = attempt.output;
    refs[ref + 6] = attempt.error;
    at += ATTEMPT_NUMBERS;
    ref += REFS;
  }
  for (const event of events) numbers[at++] = event;
  numbers[RECORDS] = records.length;
  numbers[ATTEMPTS] = attempts.length;
  numbers[FAILED_AT] = failedAt;
  numbers[CREATED_AT] = parts.createdAt;
  numbers[STARTED_AT] = parts.startedAt ?? NULL;
  numbers[COMPLETED_AT] = parts.completedAt ?? NULL;
  numbers[EVENT_LIMIT] = parts.eventLimit;
  numbers[DROPPED] = parts.dropped;
  numbers[EVENTS] = events.length;
  return { numbers, refs };
}

/** The run's timestamps and its log's entry count, read from the packed numbers without unpacking. */
export function packedCreatedAt(numbers: readonly number[]): number {
  return numbers[CREATED_AT] as number;
}

export function packedStartedAt(numbers: readonly number[]): number | null {
  return nullable(numbers[STARTED_AT]);
}

export function packedCompletedAt(numbers: readonly number[]): number | null {
  return nullable(numbers[COMPLETED_AT]);
}

export function packedEventCount(numbers: readonly number[]): number {
  return numbers[EVENTS] as number;
}

export function unpackRun({ numbers: n, refs: r }: PackedRun): UnpackedRun {
  const recordCount = n[RECORDS] as number;
  const attemptCount = n[ATTEMPTS] as number;
  const failedAt = n[FAILED_AT] as number;
  const records: StepRecord[] = [];
  let at = HEADER;
  let ref = 0;
  for (let index = 0; index < recordCount; index++, at += RECORD_NUMBERS, ref += REFS) {
    const record: StepRecord = {
      stepId: r[ref] as string,
      stepIndex: n[at] as number,
      status: r[ref + 1] as StepRecord["status"],
      attempts: n[at + 1] as number,
      startedAt: n[at + 2] as number,
      completedAt: nullable(n[at + 3]),
      durationMs: n[at + 4] as number,
      tokens: r[ref + 2] as Tokens,
      costPico: n[at + 5] as number,
      input: r[ref + 3] as Record<string, JsonValue>,
      output: r[ref + 4] as JsonValue | undefined,
      error: r[ref + 5] as StepError | undefined,
    };
    const rounds = r[ref + 6];
    if (rounds !== NO_ROUNDS) record.toolRounds = rounds as ToolRound[];
    records.push(record);
  }
  const attempts: StepAttempt[] = [];
  for (let index = 0; index < attemptCount; index++, at += ATTEMPT_NUMBERS, ref += REFS) {
    attempts.push({
      stepId: r[ref] as string,
      stepIndex: n[at] as number,
      attempt: n[at + 1] as number,
      loopIndex: nullable(n[at + 2]),
      status: r[ref + 1] as StepAttempt["status"],
      startedAt: n[at + 3] as number,
      completedAt: nullable(n[at + 4]),
      durationMs: n[at + 5] as number,
      modelUsed: r[ref + 2] as string,
      tokens: r[ref + 3] as Tokens,
      costPico: n[at + 6] as number,
      input: r[ref + 4] as Record<string, JsonValue> | undefined,
      output: r[ref + 5] as JsonValue | undefined,
      error: r[ref + 6] as StepError | undefined,
    });
  }
  return {
    createdAt: n[CREATED_AT] as number,
    startedAt: nullable(n[STARTED_AT]),
    completedAt: nullable(n[COMPLETED_AT]),
    records,
    attempts,
    failedStep: failedAt < 0 ? undefined : records[failedAt],
    eventLimit: n[EVENT_LIMIT] as number,
    dropped: n[DROPPED] as number,
    events: n.slice(at, at + (n[EVENTS] as number)),
  };
}

function holdsNaN(value: number | null): boolean {
  return value !== null && Number.isNaN(value);
}

function nullable(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}
