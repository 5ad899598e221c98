import type { LiveTraceEvent, StreamEvent, ToolCall } from "noukai";
import type { AnyClient } from "../../helpers/clients.js";
import { WEATHER_TOOLS } from "../../helpers/test-flows.js";
import { randomAt } from "../support/seeded.js";

/**
 * The operations the fault suite mixes: every kind of call a user makes
 * (execute, tool rounds, steps, events, jobs, traces). Each one checks the
 * value it got against what the local server's deterministic flows produce,
 * so "settled with a value" also means "with the right value".
 */
export interface CallContext {
  index: number;
  sessionId: string;
  timeoutMs: number;
  jobWaitMs: number;
  /** Finished executions this lane has seen, for the trace operations. */
  pool: string[];
}

export interface Operation {
  readonly name: OperationName;
  /** Starts an execution on the server (so its session must show exactly one when it succeeds). */
  readonly startsRun: boolean;
  /** The longest the call may take: every exchange it makes is bounded by the timeout. */
  deadlineMs(context: CallContext): number;
  /** Runs the call; resolves to what is wrong with the value, or undefined when it is right. */
  run(client: AnyClient, context: CallContext): Promise<string | undefined>;
}

export const OPERATION_NAMES = ["execute", "toolRounds", "steps", "events", "eventsWithTools", "job", "trace", "liveTrace"] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** How often each operation is picked (out of 100). */
const WEIGHTS: Record<OperationName, number> = {
  execute: 25,
  toolRounds: 10,
  steps: 15,
  events: 15,
  eventsWithTools: 10,
  job: 10,
  trace: 10,
  liveTrace: 5,
};

const CITIES = ["Oslo", "Lima", "Riga", "Kyiv", "Cairo"];

const hello = (message: string) => `Hello! You said: ${message}`;
const article = (message: string) => `Article from [Outline of: ${message}]`;
const messageOf = (context: CallContext) => `call ${context.index}`;
const cityOf = (context: CallContext) => CITIES[context.index % CITIES.length] ?? "Oslo";

const answerWeather = (calls: ToolCall[]) => calls.map((call) => ({ toolCallId: call.id, output: "sunny" }));

export function startsRun(name: OperationName): boolean {
  return OPERATIONS[name].startsRun;
}

/** The operation call `index` makes, the same in every process for the same seed. */
export function operationAt(seed: number, index: number, pool: readonly string[]): Operation {
  let pick = randomAt(seed, index, 1) * 100;
  for (const name of OPERATION_NAMES) {
    pick -= WEIGHTS[name];
    if (pick < 0) return usable(OPERATIONS[name], pool);
  }
  return OPERATIONS.execute;
}

/** A trace needs a finished execution; before this lane has one, it starts one instead. */
function usable(operation: Operation, pool: readonly string[]): Operation {
  return !operation.startsRun && pool.length === 0 ? OPERATIONS.execute : operation;
}

async function lastEvent<E extends StreamEvent | LiveTraceEvent>(events: AsyncIterable<E> | Iterable<E>): Promise<E | undefined> {
  let last: E | undefined;
  for await (const event of events) last = event;
  return last;
}

function expectResult(actual: unknown, expected: unknown, what: string): string | undefined {
  return actual === expected ? undefined : `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)?.slice(0, 200)}`;
}

const OPERATIONS: Record<OperationName, Operation> = {
  execute: {
    name: "execute",
    startsRun: true,
    deadlineMs: (c) => c.timeoutMs,
    async run(client, c) {
      const result = await client.flow("examples/demo/hello").execute({ message: messageOf(c), sessionId: c.sessionId, timeout: c.timeoutMs });
      if (result.status !== "completed") return `execute ended ${result.status}`;
      if (typeof result.executionId === "string") remember(c.pool, result.executionId);
      return expectResult(result.result, hello(messageOf(c)), "execute result");
    },
  },
  toolRounds: {
    name: "toolRounds",
    startsRun: true,
    // The first call and three resumes.
    deadlineMs: (c) => 4 * c.timeoutMs,
    async run(client, c) {
      const result = await client.flow("tests/contract/three-rounds").execute({
        message: `weather in ${cityOf(c)}`,
        tools: WEATHER_TOOLS,
        toolHandler: answerWeather,
        sessionId: c.sessionId,
        timeout: c.timeoutMs,
      });
      if (result.status !== "completed") return `tool rounds ended ${result.status}`;
      return expectResult(result.result, `after three rounds: ${JSON.stringify(["sunny", "sunny", "sunny"])}`, "tool rounds result");
    },
  },
  steps: {
    name: "steps",
    startsRun: true,
    // Two /step streams: each waits for its headers, then for its events.
    deadlineMs: (c) => 4 * c.timeoutMs,
    async run(client, c) {
      const outputs: unknown[] = [];
      for await (const step of client.flow("examples/demo/two-step").steps({ message: messageOf(c), sessionId: c.sessionId, timeout: c.timeoutMs })) {
        outputs.push(step.output);
      }
      return expectResult(JSON.stringify(outputs), JSON.stringify([`Outline of: ${messageOf(c)}`, article(messageOf(c))]), "steps outputs");
    },
  },
  events: {
    name: "events",
    startsRun: true,
    deadlineMs: (c) => 2 * c.timeoutMs,
    async run(client, c) {
      const last = await lastEvent(
        client.flow("examples/demo/two-step").events({ message: messageOf(c), runRemaining: true, sessionId: c.sessionId, timeout: c.timeoutMs }),
      );
      if (last?.type !== "flow_completed") return `events ended with ${last?.type ?? "nothing"}`;
      return expectResult(last.result, article(messageOf(c)), "events result");
    },
  },
  eventsWithTools: {
    name: "eventsWithTools",
    startsRun: true,
    // One stream to the pause, one after the results.
    deadlineMs: (c) => 4 * c.timeoutMs,
    async run(client, c) {
      const last = await lastEvent(
        client.flow("examples/demo/weather").events({
          message: `weather in ${cityOf(c)}`,
          tools: WEATHER_TOOLS,
          toolHandler: answerWeather,
          sessionId: c.sessionId,
          timeout: c.timeoutMs,
        }),
      );
      if (last?.type !== "flow_completed") return `events with tools ended with ${last?.type ?? "nothing"}`;
      return expectResult(last.result, `Weather in ${cityOf(c)}: sunny`, "events with tools result");
    },
  },
  job: {
    name: "job",
    startsRun: true,
    // The submit, then a wait bounded by its own timeout (each poll by what is left of it).
    deadlineMs: (c) => c.timeoutMs + c.jobWaitMs,
    async run(client, c) {
      const job = await client.flow("examples/demo/hello").executeAsync({ message: messageOf(c), sessionId: c.sessionId, timeout: c.timeoutMs });
      const status = await job.wait({ timeout: c.jobWaitMs, pollInterval: 50 });
      if (status.status !== "completed") return `job ended ${status.status}`;
      return expectResult(status.result, hello(messageOf(c)), "job result");
    },
  },
  trace: {
    name: "trace",
    startsRun: false,
    deadlineMs: (c) => 2 * c.timeoutMs,
    async run(client, c) {
      const executionId = pickFrom(c);
      const run = client.flow("examples/demo/hello").run(executionId);
      const trace = await run.trace({ timeout: c.timeoutMs });
      const step = await run.stepTrace("greet", { timeout: c.timeoutMs });
      return expectResult(trace.flowRun.id, executionId, "trace run id") ?? expectResult(step.status, "completed", "step trace status");
    },
  },
  liveTrace: {
    name: "liveTrace",
    startsRun: false,
    deadlineMs: (c) => 2 * c.timeoutMs,
    async run(client, c) {
      const last = await lastEvent(client.flow("examples/demo/hello").run(pickFrom(c)).liveTrace({ timeout: c.timeoutMs }));
      return expectResult(last?.type, "flow_completed", "live trace's last event");
    },
  },
};

/** The pool stays small, so that a long run's memory does not grow with it. */
const POOL_SIZE = 32;

function remember(pool: string[], executionId: string): void {
  pool.push(executionId);
  if (pool.length > POOL_SIZE) pool.shift();
}

function pickFrom(context: CallContext): string {
  const index = Math.floor(randomAt(context.index, context.pool.length, 2) * context.pool.length);
  return context.pool[index] ?? context.pool[0] ?? "";
}
