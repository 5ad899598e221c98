import type { JsonValue } from "../flows/types.js";
import type { ResolvedFlow } from "../flows/registry.js";
import { formatEvent, type SseFrame } from "../sse/frame.js";
import { EventLog } from "./event-log.js";
import type { ChatMessage, ToolCall } from "./messages.js";
import { tokens, type Tokens } from "./usage.js";

export type RunStatus = "pending" | "running" | "paused" | "awaiting_tools" | "completed" | "failed" | "cancelled";
export type TriggerType = "execute" | "step" | "job";

/** What the caller asked for; tools and overrides may change on each /step call. */
export interface RunInput {
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
  input: Record<string, JsonValue>;
  output: JsonValue | undefined;
  error: StepError | undefined;
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

export interface RunInit {
  id: string;
  flow: ResolvedFlow;
  trigger: TriggerType;
  sessionId: string | undefined;
  org: string;
  input: RunInput;
  now: number;
  eventLimit: number;
}

/** One execution: its cursor, outputs, attempts and event log. Mutated only by the engine. */
export class Run {
  readonly id: string;
  readonly flow: ResolvedFlow;
  readonly trigger: TriggerType;
  readonly sessionId: string | undefined;
  readonly org: string;
  readonly createdAt: number;
  readonly log: EventLog;
  /** Snapshots are kept when the caller asked for a trace or tagged a session. */
  readonly keepSnapshots: boolean;
  input: RunInput;
  status: RunStatus = "pending";
  startedAt: number | null = null;
  completedAt: number | null = null;
  nextStep = 0;
  outputs: Record<string, JsonValue> = {};
  readonly attempts: StepAttempt[] = [];
  readonly steps: StepRecord[] = [];
  toolState: ToolState | undefined;
  callCounter = 0;
  result: JsonValue = null;
  error: string | null = null;
  failedStep: StepRecord | undefined;
  usage: Tokens = tokens(0, 0);
  costPico = 0;
  durationMs = 0;
  /** Its cost was charged to the org's credits. */
  billed = false;
  /** Set while a request is advancing the run, so two requests never drive it at once. */
  busy = false;

  constructor(init: RunInit) {
    this.id = init.id;
    this.flow = init.flow;
    this.trigger = init.trigger;
    this.sessionId = init.sessionId;
    this.org = init.org;
    this.input = init.input;
    this.createdAt = init.now;
    this.log = new EventLog(init.eventLimit);
    this.keepSnapshots = init.input.trace || init.sessionId !== undefined;
  }

  get stepCount(): number {
    return this.flow.steps.length;
  }

  get finished(): boolean {
    return this.status === "completed" || this.status === "failed" || this.status === "cancelled";
  }

  /** Serialises an event and appends it to the run's log (for a stream that sends it now). */
  emit(name: string, payload: object): SseFrame {
    const frame = formatEvent(name, payload);
    this.log.append(frame);
    return frame;
  }

  /** Appends an event to the log, serialised only when someone reads it. */
  record(name: string, payload: object): void {
    this.log.record(name, payload);
  }
}
