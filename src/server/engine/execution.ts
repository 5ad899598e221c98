import type { JsonValue } from "../flows/types.js";
import type { ResolvedFlow } from "../flows/registry.js";
import { escapedBytes } from "../json/json-size.js";
import { plainTable } from "../own.js";
import { formatEvent, type SseFrame } from "../sse/frame.js";
import { derivedFrame } from "./derived-frames.js";
import { derivedPayload } from "./event-payloads.js";
import { EventLog, isDerivable, type DerivableEvent } from "./event-log.js";
import type { ChatMessage, ToolCall } from "./messages.js";
import { NO_TOKENS, type Tokens } from "./usage.js";

export type ExecutionStatus = "pending" | "running" | "paused" | "awaiting_tools" | "completed" | "failed" | "cancelled";
export type TriggerType = "execute" | "step" | "job";

/** What the caller asked for; tools and overrides may change on each /step call. */
export interface ExecutionInput {
  message: string | null;
  messages: ChatMessage[] | null;
  parameters: Record<string, JsonValue>;
  inputOverrides: Record<string, JsonValue>;
  blockOverrides: Record<string, JsonValue>;
  tools: JsonValue[] | null;
  toolChoice: JsonValue | undefined;
  trace: boolean;
}

export interface StepError {
  code: string;
  message: string;
}

/** One attempt of one step (one loop iteration of a looping step). */
export interface StepAttempt {
  stepId: string;
  stepIndex: number;
  attempt: number;
  loopIndex: number | null;
  status: "running" | "completed" | "failed";
  startedAt: number;
  completedAt: number | null;
  durationMs: number;
  modelUsed: string;
  tokens: Tokens;
  costPico: number;
  input: Record<string, JsonValue> | undefined;
  output: JsonValue | undefined;
  error: StepError | undefined;
}

/** The outcome of a whole step, across its attempts and iterations (what sessions show). */
export interface StepRecord {
  stepId: string;
  stepIndex: number;
  status: "running" | "completed" | "failed";
  attempts: number;
  startedAt: number;
  completedAt: number | null;
  durationMs: number;
  tokens: Tokens;
  costPico: number;
  input: Record<string, JsonValue>;
  output: JsonValue | undefined;
  error: StepError | undefined;
  /** A tool-calling step's rounds, each as the pause that asked for it carried it (shown in sessions, for replay). */
  toolRounds?: ToolRound[];
}

/** One round of tool calls a step asked for. */
export interface ToolRound {
  toolCalls: ToolCall[];
  toolCallMessages: ChatMessage[];
  iterationsUsed: number;
}

/** A tool-calling step waiting for the caller's results. */
export interface ToolState {
  stepIndex: number;
  stepId: string;
  round: number;
  conversation: ChatMessage[];
  pendingCalls: ToolCall[];
  results: JsonValue[];
  attempt: StepAttempt;
  record: StepRecord;
}

export interface ExecutionInit {
  id: string;
  flow: ResolvedFlow;
  trigger: TriggerType;
  sessionId: string | undefined;
  org: string;
  input: ExecutionInput;
  now: number;
  eventLimit: number;
  /** Bytes of JSON of what the run keeps of its request (see `Execution.bytes`). */
  inputBytes?: number;
}

/** What a run keeps beyond the JSON it holds: the objects themselves, weighed as a flat amount. */
export const RUN_BYTES = 2_048;
/** The same for one step record or one attempt. */
export const RECORD_BYTES = 320;

/** One execution: its cursor, outputs, attempts and event log. Mutated only by the engine. */
export class Execution {
  readonly id: string;
  readonly flow: ResolvedFlow;
  readonly trigger: TriggerType;
  readonly sessionId: string | undefined;
  readonly org: string;
  readonly createdAt: number;
  readonly log: EventLog;
  /** Snapshots are kept when the caller asked for a trace or tagged a session. */
  readonly keepSnapshots: boolean;
  input: ExecutionInput;
  status: ExecutionStatus = "pending";
  startedAt: number | null = null;
  completedAt: number | null = null;
  nextStep = 0;
  /** Completed steps' outputs by step id (a step may be named `__proto__`: no prototype). */
  outputs: Record<string, JsonValue> = plainTable();
  #attempts: StepAttempt[] = [];
  #steps: StepRecord[] = [];
  #records: StepRecord[] = [];
  toolState: ToolState | undefined;
  callCounter = 0;
  result: JsonValue = null;
  error: string | null = null;
  failedStep: StepRecord | undefined;
  usage: Tokens = NO_TOKENS;
  costPico = 0;
  durationMs = 0;
  /** Its cost was charged to the org's credits. */
  billed = false;
  /** Set while a request is advancing the run, so two requests never drive it at once. */
  busy = false;
  /**
   * Requests and jobs working on it now, counted by the run store (which
   * never pushes a held run out). Kept on the run rather than in a map of the
   * store's: an execute then adds and removes no map entry of its own.
   */
  holds = 0;
  /** Bytes of JSON of the completed steps' outputs, keys included: what a client re-sends as accumulatedOutputs. */
  outputBytes = 0;
  #kept: number;

  constructor(init: ExecutionInit) {
    this.id = init.id;
    this.flow = init.flow;
    this.trigger = init.trigger;
    this.sessionId = init.sessionId;
    this.org = init.org;
    this.input = init.input;
    this.createdAt = init.now;
    this.log = new EventLog(init.eventLimit, this);
    this.keepSnapshots = init.input.trace || init.sessionId !== undefined;
    this.#kept = RUN_BYTES + (init.inputBytes ?? 0);
  }

  /**
   * About how much memory the run holds, in bytes: the JSON size of what it
   * keeps (request, outputs, tool conversation) plus a flat amount per object
   * (the run, each record, each event of its log). Kept up to date as the
   * run grows, so weighing it costs nothing.
   */
  get bytes(): number {
    return this.#kept + this.log.bytes;
  }

  /** Counts `bytes` more kept by the run. */
  retain(bytes: number): void {
    this.#kept += bytes;
  }

  /**
   * Stores a completed step's output, which takes `bytes` of JSON. A step
   * completes once per run (only a step that did not finish runs again), so
   * sizes only add up.
   */
  storeOutput(stepId: string, output: JsonValue, bytes: number): void {
    const size = bytes + escapedBytes(stepId) + 4;
    this.outputBytes += size;
    this.#kept += size;
    this.outputs[stepId] = output;
  }

  /** Every attempt of every step, in the order they started. */
  get attempts(): StepAttempt[] {
    return this.#attempts;
  }

  /** Each step's record, in the order the steps started. */
  get steps(): StepRecord[] {
    return this.#steps;
  }

  /** The latest record of each step, by index, from the moment it starts. */
  get records(): StepRecord[] {
    return this.#records;
  }

  /** The payload of a derivable event of step `index`, built from the records (what the log replays). */
  derivedPayload(name: DerivableEvent, index: number): object {
    return derivedPayload(this, name, index);
  }

  /** The same event's frame (see derived-frames.ts). */
  derivedFrame(name: DerivableEvent, index: number): SseFrame {
    return derivedFrame(this, name, index);
  }

  /**
   * A finished run keeps exact-size arrays. An array grown by push has room
   * for 17 entries after the first, and a server keeps thousands of finished
   * runs: the spare room was a fifth of what each held, all of it copied and
   * marked by every garbage collection while the run is kept.
   */
  compact(): void {
    this.#attempts = this.#attempts.slice();
    this.#records = this.#records.slice();
    // When each step ran once, in order (most runs), both lists hold the same records in the same
    // order: one array serves both (a finished run's lists never change again).
    this.#steps = sameEntries(this.#steps, this.#records) ? this.#records : this.#steps.slice();
    this.log.compact();
  }

  get stepCount(): number {
    return this.flow.steps.length;
  }

  get finished(): boolean {
    return this.status === "completed" || this.status === "failed" || this.status === "cancelled";
  }

  /**
   * Serialises an event for a stream that sends it now, and records it in the
   * run's log. A derivable event's payload is built from the records (see
   * event-payloads.ts); any other event brings its own.
   */
  emit(name: string, stepIndex: number, payload?: object): SseFrame {
    if (payload === undefined && isDerivable(name)) {
      const frame = derivedFrame(this, name, stepIndex);
      this.log.sentDerived(name, stepIndex, frame);
      return frame;
    }
    const body = this.#payload(name, stepIndex, payload);
    const frame = formatEvent(name, body);
    this.log.sent(name, stepIndex, body, frame);
    return frame;
  }

  /** Appends an event to the log, serialised (or rebuilt from the records) only when someone reads it. */
  record(name: string, stepIndex: number, payload?: object): void {
    if (payload === undefined && isDerivable(name)) this.log.recordDerived(name, stepIndex);
    else this.log.record(name, stepIndex, this.#payload(name, stepIndex, payload));
  }

  #payload(name: string, stepIndex: number, payload: object | undefined): object {
    if (payload !== undefined) return payload;
    if (!isDerivable(name)) throw new Error(`event "${name}" needs its payload`);
    return derivedPayload(this, name, stepIndex);
  }

}

function sameEntries<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((entry, index) => entry === b[index]);
}
