import type { StepCompleted, StreamEvent, SyncStreamEvent } from "noukai";
import { type ClientKind, makeClient, type AnyClient } from "../../helpers/clients.js";
import { HostedServer } from "../support/hosted-server.js";
import { observe, type Outcome, summarise } from "../support/outcome.js";

/**
 * A server that stops for real (its `close()`: sockets dropped, streams ended,
 * queued jobs cancelled) while calls are in flight, and is not coming back.
 * Every call must still settle, with a value or a typed error, in time; calls
 * made afterwards must fail at once with a typed error.
 */
export interface StopReport {
  kind: ClientKind;
  calls: number;
  /** How each call ended: "value" or the error's class and code, counted. */
  endings: Record<string, number>;
  /** The longest a call made after the close took to fail. */
  afterCloseMs: number;
  problems: string[];
}

const TIMEOUT_MS = 5_000;
const CLOSE_AFTER_MS = 400;
/** Each call makes at most this many exchanges, each bounded by the timeout; plus slack for a loaded machine. */
const DEADLINE_MS = 4 * TIMEOUT_MS + 3_000;

type Call = (client: AnyClient, index: number) => unknown;

const drain = async (events: AsyncIterable<StreamEvent | StepCompleted> | Iterable<SyncStreamEvent | StepCompleted>): Promise<string> => {
  let last = "";
  for await (const event of events) last = event.type === "step_error" ? `step_error ${event.error?.code ?? ""}` : event.type;
  return last;
};

/** Calls on the `slow` flow (three 300 ms steps), so that the close finds them mid-way. */
const CALLS: Call[] = [
  (client, i) => client.flow("examples/demo/slow").execute({ message: `stop ${i}` }),
  (client, i) => drain(client.flow("examples/demo/slow").events({ message: `stop ${i}`, runRemaining: true })),
  (client, i) => drain(client.flow("examples/demo/slow").steps({ message: `stop ${i}` })),
  async (client, i) => (await client.flow("examples/demo/slow").executeAsync({ message: `stop ${i}` })).wait({ pollInterval: 50, timeout: TIMEOUT_MS }),
];

export async function runServerStop(kind: ClientKind, calls: number): Promise<StopReport> {
  const server = await HostedServer.start();
  const client = makeClient(kind, { apiKey: "nk_reliability_stop", baseUrl: server.baseUrl, timeout: TIMEOUT_MS });
  const outcomes: Outcome[] = [];
  const problems: string[] = [];
  try {
    const closed = server.closeAfter(CLOSE_AFTER_MS);
    // Let the request to close leave this process before a blocking call freezes its thread.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const run = (index: number) => observe(() => (CALLS[index % CALLS.length] as Call)(client, index));
    if (kind === "AsyncNoukai") outcomes.push(...(await Promise.all(Array.from({ length: calls }, (_, index) => run(index)))));
    else for (let index = 0; index < calls; index++) outcomes.push(await run(index));
    await closed;
    const after = await Promise.all(CALLS.map((_, index) => run(index)));
    for (const outcome of after) if (outcome.ok) problems.push(`a call made after the server closed succeeded: ${String(outcome.value)}`);
    outcomes.push(...after);
    const endings: Record<string, number> = {};
    outcomes.forEach((outcome, index) => {
      const ending = outcome.ok ? `value${typeof outcome.value === "string" ? ` (${outcome.value})` : ""}` : `${outcome.errorClass} ${outcome.code ?? ""}`.trim();
      endings[ending] = (endings[ending] ?? 0) + 1;
      if (!outcome.typed) problems.push(`call ${index} ended with an untyped error: ${summarise(outcome)}`);
      if (outcome.ms > DEADLINE_MS) problems.push(`call ${index} took ${Math.round(outcome.ms)} ms`);
    });
    return { kind, calls: outcomes.length, endings, afterCloseMs: Math.round(Math.max(...after.map((o) => o.ms))), problems };
  } finally {
    await client.close();
    await server.stop();
  }
}
