import { keepTraceparent, runTraceparent } from "../app/run-traceparent.js";
import type { StoredLog } from "../engine/event-log.js";
import { Execution, RUN_BYTES, type ExecutionInput, type ExecutionStatus, type StepAttempt, type StepRecord, type ToolState, type TriggerType } from "../engine/execution.js";
import { tokens, type Tokens } from "../engine/usage.js";
import type { FlowRegistry, ResolvedFlow } from "../flows/registry.js";
import type { JsonValue, StepDefinition } from "../flows/types.js";
import { assignOwn, plainTable } from "../own.js";

/**
 * A run as plain JSON, for a data directory. Records and attempts are shared
 * between the run's lists (a step's latest record is also in `steps`, a tool
 * step's state points at its record and attempt), so each is written once
 * and referred to by its position in `recordList` / `attempts`.
 */
export interface StoredRun {
  v: 1;
  id: string;
  flow: { org: string; project: string; slug: string; name?: string; version: "draft" | number; steps: readonly StepDefinition[]; toolIterationLimit: number };
  trigger: TriggerType;
  sessionId?: string;
  org: string;
  createdAt: number;
  input: Omit<ExecutionInput, "toolChoice"> & { toolChoice?: JsonValue };
  status: ExecutionStatus;
  /** A request or job was working on it when this was written. */
  busy: boolean;
  startedAt: number | null;
  completedAt: number | null;
  nextStep: number;
  outputs: Record<string, JsonValue>;
  attempts: StepAttempt[];
  recordList: StepRecord[];
  /** Positions in recordList. */
  steps: number[];
  records: (number | null)[];
  failedStep: number | null;
  toolState: (Omit<ToolState, "attempt" | "record"> & { attempt: number; record: number }) | null;
  callCounter: number;
  result: JsonValue;
  error: string | null;
  usage: Tokens;
  costPico: number;
  durationMs: number;
  billed: boolean;
  outputBytes: number;
  /** What the run weighs besides its log (Execution.bytes less the log's). */
  keptBytes: number;
  log: StoredLog;
  /** The W3C traceparent it was created with (its trace shows it). */
  traceparent?: string;
}

export function encodeRun(run: Execution): StoredRun {
  const recordList: StepRecord[] = [];
  const recordAt = (record: StepRecord): number => {
    const at = recordList.indexOf(record);
    return at >= 0 ? at : recordList.push(record) - 1;
  };
  const steps = run.steps.map(recordAt);
  const records = Array.from(run.records, (record) => (record ? recordAt(record) : null));
  const failedStep = run.failedStep ? recordAt(run.failedStep) : null;
  const attempts = [...run.attempts];
  const state = run.toolState;
  let toolState: StoredRun["toolState"] = null;
  if (state) {
    const attemptAt = attempts.indexOf(state.attempt);
    toolState = { ...state, attempt: attemptAt >= 0 ? attemptAt : attempts.push(state.attempt) - 1, record: recordAt(state.record) };
  }
  const def = run.flow.definition;
  const { toolChoice, ...input } = run.input;
  const traceparent = runTraceparent(run);
  return {
    v: 1,
    id: run.id,
    flow: { org: def.org, project: def.project, slug: def.slug, ...(def.name !== undefined ? { name: def.name } : {}), version: run.flow.version, steps: run.flow.steps, toolIterationLimit: run.flow.toolIterationLimit },
    trigger: run.trigger,
    ...(run.sessionId !== undefined ? { sessionId: run.sessionId } : {}),
    org: run.org,
    createdAt: run.createdAt,
    input: toolChoice === undefined ? input : { ...input, toolChoice },
    status: run.status,
    busy: run.busy,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    nextStep: run.nextStep,
    outputs: run.outputs,
    attempts,
    recordList,
    steps,
    records,
    failedStep,
    toolState,
    callCounter: run.callCounter,
    result: run.result,
    error: run.error,
    usage: run.usage,
    costPico: run.costPico,
    durationMs: run.durationMs,
    billed: run.billed,
    outputBytes: run.outputBytes,
    keptBytes: run.bytes - run.log.bytes,
    log: run.log.stored(),
    ...(traceparent !== undefined ? { traceparent } : {}),
  };
}

/**
 * A run back from its stored form. It runs the steps it was started with:
 * the registry's flow when that version's steps are unchanged (shared, as
 * for a new run), else the stored steps (the flow file changed meanwhile).
 */
export function decodeRun(stored: StoredRun, registry: FlowRegistry, eventLimit: number, flows = new FlowCache()): Execution {
  const run = new Execution({
    id: stored.id,
    flow: flows.get(stored.flow, registry),
    trigger: stored.trigger,
    sessionId: stored.sessionId,
    org: stored.org,
    input: { ...stored.input, toolChoice: stored.input.toolChoice },
    now: stored.createdAt,
    eventLimit,
    inputBytes: stored.keptBytes - RUN_BYTES,
  });
  run.status = stored.status;
  run.startedAt = stored.startedAt;
  run.completedAt = stored.completedAt;
  run.nextStep = stored.nextStep;
  run.outputs = assignOwn(plainTable<JsonValue>(), stored.outputs);
  // JSON has no undefined: fields that were undefined come back as such.
  // Tokens are never mutated, so equal ones are shared, as a live run shares a step's with its attempt.
  const shared = new SharedTokens();
  const recordList = stored.recordList.map((record) => ({ ...record, tokens: shared.of(record.tokens), output: record.output, error: record.error }));
  const attempts = stored.attempts.map((attempt) => ({ ...attempt, tokens: shared.of(attempt.tokens), input: attempt.input, output: attempt.output, error: attempt.error }));
  run.attempts.push(...attempts);
  run.steps.push(...stored.steps.map((at) => recordList[at] as StepRecord));
  stored.records.forEach((at, index) => {
    if (at !== null) run.records[index] = recordList[at] as StepRecord;
  });
  run.failedStep = stored.failedStep === null ? undefined : recordList[stored.failedStep];
  if (stored.toolState) {
    const { attempt, record, ...state } = stored.toolState;
    run.toolState = { ...state, attempt: attempts[attempt] as StepAttempt, record: recordList[record] as StepRecord };
  }
  run.callCounter = stored.callCounter;
  run.result = stored.result;
  run.error = stored.error;
  run.usage = shared.of(stored.usage);
  run.costPico = stored.costPico;
  run.durationMs = stored.durationMs;
  run.billed = stored.billed;
  run.outputBytes = stored.outputBytes;
  run.log.restore(stored.log);
  // A finished run keeps exact-size arrays, as a live one does once it ends (Execution.compact).
  if (run.finished) run.compact();
  keepTraceparent(run, stored.traceparent);
  return run;
}

/** One Tokens object per distinct count among a run's records, attempts and usage. */
class SharedTokens {
  readonly #made = new Map<string, Tokens>();

  of(stored: Tokens): Tokens {
    const key = `${stored.prompt}/${stored.completion}`;
    let made = this.#made.get(key);
    if (!made) {
      made = tokens(stored.prompt, stored.completion);
      this.#made.set(key, made);
    }
    return made;
  }
}

/**
 * The flows of runs being read back, by flow, version and steps: thousands of
 * runs of one flow share one resolved flow (as new runs do), and its steps are
 * compared with the registry's once, not once a run.
 */
export class FlowCache {
  readonly #flows = new Map<string, ResolvedFlow>();

  get(stored: StoredRun["flow"], registry: FlowRegistry): ResolvedFlow {
    const key = JSON.stringify([stored.org, stored.project, stored.slug, stored.version, stored.toolIterationLimit, stored.steps]);
    let flow = this.#flows.get(key);
    if (!flow) {
      flow = flowOf(stored, registry);
      this.#flows.set(key, flow);
    }
    return flow;
  }
}

function flowOf(stored: StoredRun["flow"], registry: FlowRegistry): ResolvedFlow {
  const found = registry.resolve(stored.org, stored.project, stored.slug, { kind: "number", value: stored.version === "draft" ? 0 : stored.version });
  if (found.found && JSON.stringify(found.flow.steps) === JSON.stringify(stored.steps)) return found.flow;
  const { org, project, slug, name, steps, version, toolIterationLimit } = stored;
  const flowId = `flow_${org}/${project}/${slug}`;
  return {
    definition: { org, project, slug, ...(name !== undefined ? { name } : {}), toolIterationLimit, draft: { steps: [...steps] } },
    flowId,
    flowIdJson: JSON.stringify(flowId),
    version,
    steps,
    toolIterationLimit,
  };
}
