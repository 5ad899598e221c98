import type { CallInfo, Operation } from "../core/middleware.js";
import { ReplayMissError } from "../core/replay-errors.js";
import type { RecordedCall, RecordedInput } from "./cassette.js";

/** Calls that start a run are matched to recorded ones; the rest follow the execution they concern. */
const GROUP: Partial<Record<Operation, string>> = { execute: "execute", steps: "step", events: "step", executeAsync: "job" };

/** How live calls find their recorded ones when they carry no `replayKey`. */
export type MatchMode = "order" | "input";

/**
 * Which recorded call answers each live call. A call with a `replayKey`
 * gets the recorded call with that key; otherwise, by flow and kind, either
 * the next unused one in recorded order (`order`, the official clients'
 * rule) or the first unused one with the same input (`input`: concurrent or
 * reordered calls still find theirs). Calls that concern an execution
 * (resumes, polls, traces) follow that execution.
 */
export class Matcher {
  readonly #calls: readonly RecordedCall[];
  readonly #mode: MatchMode;
  readonly #used = new Set<RecordedCall>();
  /** How many calls of each flow and kind were made, for the miss message. */
  readonly #made = new Map<string, number>();

  constructor(calls: readonly RecordedCall[], mode: MatchMode) {
    this.#calls = calls;
    this.#mode = mode;
  }

  /** The recorded call for a live call that starts a run. */
  claimStart(info: CallInfo, input: RecordedInput): RecordedCall {
    const group = GROUP[info.operation] ?? info.operation;
    const flow = `${info.flow.org}/${info.flow.project}/${info.flow.slug}`;
    const key = `${flow} ${group}`;
    const number = (this.#made.get(key) ?? 0) + 1;
    this.#made.set(key, number);
    const candidates = this.#calls.filter((call) => !this.#used.has(call) && groupOf(call) === group && sameFlow(call.flow, info.flow));
    const found =
      info.replayKey !== undefined
        ? candidates.find((call) => call.replayKey === info.replayKey)
        : this.#mode === "input"
          ? candidates.find((call) => call.replayKey === undefined && sameInput(call.input, input))
          : candidates.find((call) => call.replayKey === undefined);
    if (found === undefined) throw this.#miss(info, flow, group, number, input);
    this.#used.add(found);
    return found;
  }

  /** The next unused recorded call of this operation about this execution, if there is one. */
  claimFor(operation: Operation, executionId: string): RecordedCall | undefined {
    const same = (call: RecordedCall) => call.executionId === executionId && !this.#used.has(call) && sameKind(call.operation, operation);
    const found = this.#calls.find(same);
    if (found !== undefined) this.#used.add(found);
    return found;
  }

  /** Recorded calls the scope's code never made (reads, such as polls and traces, are not counted). */
  leftovers(): RecordedCall[] {
    return this.#calls.filter((call) => !this.#used.has(call) && (GROUP[call.operation] !== undefined || call.operation === "resume"));
  }

  #miss(info: CallInfo, flow: string, group: string, number: number, input: RecordedInput): ReplayMissError {
    const recorded = this.#calls.filter((call) => groupOf(call) === group && sameFlow(call.flow, info.flow));
    const what = `${info.operation}() of flow ${flow}${info.replayKey === undefined ? "" : ` with replayKey ${JSON.stringify(info.replayKey)}`}`;
    const why =
      info.replayKey !== undefined
        ? `no recorded ${group} call of that flow has that key${recorded.some((call) => call.replayKey !== undefined) ? ` (recorded keys: ${recorded.flatMap((call) => (call.replayKey === undefined ? [] : [JSON.stringify(call.replayKey)])).join(", ")})` : ""}`
        : this.#mode === "input"
          ? `no unused recorded ${group} call of that flow has the same input (${JSON.stringify(input).slice(0, 200)})`
          : `the recording has ${recorded.length} ${group} call(s) of that flow, all used`;
    return new ReplayMissError(`Replay miss: call #${number} ${what} has no recorded call to answer it: ${why}.`, { code: "REPLAY_MISS" });
  }
}

function groupOf(call: RecordedCall): string {
  return GROUP[call.operation] ?? call.operation;
}

/** A poll and a wait read the same thing. */
function sameKind(recorded: Operation, live: Operation): boolean {
  const read = (operation: Operation) => (operation === "wait" ? "poll" : operation);
  return read(recorded) === read(live);
}

/** A call pulled from a session may know only the slug (`*\/*\/slug`). */
function sameFlow(recorded: string, live: CallInfo["flow"]): boolean {
  const [org, project, slug] = recorded.split("/");
  return slug === live.slug && (org === "*" || org === live.org) && (project === "*" || project === live.project);
}

function sameInput(recorded: RecordedInput | undefined, live: RecordedInput): boolean {
  return canonical(recorded ?? {}) === canonical(live);
}

/**
 * JSON with object keys sorted: the same input however its keys were ordered
 * (a `Date` reads as the string it is sent as). `JSON.stringify` does the
 * walk, natively: an input may nest as deep as a client sends.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, sortedKeys) ?? "null";
}

function sortedKeys(_key: string, item: unknown): unknown {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
  // fromEntries defines own properties: a key named `__proto__` stays a key.
  return Object.fromEntries(Object.keys(item).sort().map((key) => [key, (item as Record<string, unknown>)[key]]));
}
