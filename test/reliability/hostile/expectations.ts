import type { StreamEvent } from "noukai";
import type { AnyClient } from "../../helpers/clients.js";
import { type Outcome, summarise, unreadable } from "../support/outcome.js";

/** One hostile answer: what the server does, the call that meets it, and what the caller must get. */
export interface HostileAnswer {
  /** The responder's export name (test/helpers/responders/hostile*.ts). */
  responder: string;
  /** What the server does, in words, for the report. */
  serverDoes: string;
  call: "execute" | "events" | "steps";
  timeoutMs?: number;
  maxRetries?: number;
  expect: Expected;
  /** The server must have been sent exactly this many requests (a redirect is not followed). */
  requests?: number;
  /** Run alone in a child process that measures its peak resident memory. */
  boundedMemory?: boolean;
  /** The most that memory may rise, when not the suite's usual limit (a success is read up to the 32 MiB cap). */
  peakGrowthLimitMB?: number;
  /** The call must have ended within this many milliseconds. */
  maxMs?: number;
}

export type Expected =
  | { value: (value: unknown) => string | undefined; says: string }
  | { error: string; code?: string | RegExp; message?: RegExp; check?: (error: Record<string, unknown>) => string | undefined; says: string; or?: Expected };

/** The longest `responseBody` an error may keep. */
export const MAX_KEPT_BODY = 64 * 1024;

export async function makeCall(answer: HostileAnswer, client: AnyClient): Promise<unknown> {
  const flow = client.flow("acme/support/triage");
  const timeout = answer.timeoutMs ?? 5_000;
  if (answer.call === "execute") return flow.execute({ message: "hello", timeout });
  const items: unknown[] = [];
  const stream: AsyncIterable<unknown> | Iterable<unknown> =
    answer.call === "events" ? flow.events({ message: "hello", timeout }) : flow.steps({ message: "hello", timeout });
  for await (const item of stream) items.push(item);
  return items;
}

/** What is wrong with an outcome, in words; empty when it is what the answer calls for. */
export function judge(answer: HostileAnswer, outcome: Outcome): string[] {
  const problems = judgeAgainst(answer.expect, outcome);
  // Where HTTP lets two correct readings differ, either one will do.
  const other = "or" in answer.expect ? answer.expect.or : undefined;
  return problems.length > 0 && other !== undefined && judgeAgainst(other, outcome).length === 0 ? [] : problems;
}

function judgeAgainst(expected: Expected, outcome: Outcome): string[] {
  if ("value" in expected) {
    if (!outcome.ok) return [`expected ${expected.says}, got ${summarise(outcome)}`];
    const wrong = expected.value(outcome.value);
    return wrong === undefined ? [] : [wrong];
  }
  if (outcome.ok) return [`expected ${expected.says}, got a value: ${JSON.stringify(outcome.value)?.slice(0, 200)}`];
  const problems: string[] = [];
  if (!outcome.typed) problems.push(`the error is not a NoukaiError: ${summarise(outcome)}`);
  if (outcome.errorClass !== expected.error) problems.push(`expected ${expected.says}, got ${summarise(outcome)}`);
  const code = outcome.code ?? "";
  if (typeof expected.code === "string" && code !== expected.code) problems.push(`expected code ${expected.code}, got ${code || "none"}`);
  if (expected.code instanceof RegExp && !expected.code.test(code)) problems.push(`expected a code like ${expected.code}, got ${code || "none"}`);
  if (expected.message !== undefined && !expected.message.test(outcome.message ?? "")) {
    problems.push(`expected a message like ${expected.message}, got ${JSON.stringify(outcome.message)}`);
  }
  problems.push(...unreadable(outcome.message));
  const error = outcome.error as Record<string, unknown>;
  const kept = bodySize(error["responseBody"]);
  if (kept > MAX_KEPT_BODY) problems.push(`the error keeps a ${kept}-character response body`);
  const extra = expected.check?.(error);
  if (extra !== undefined) problems.push(extra);
  return problems;
}

function bodySize(body: unknown): number {
  if (body === undefined || body === null) return 0;
  return typeof body === "string" ? body.length : (JSON.stringify(body)?.length ?? 0);
}

/** A value check for event streams: the types in order, and the last event's result. */
export function eventsEndingWith(result: unknown, types = ["run_started", "step_started", "step_completed", "flow_completed"]) {
  return (value: unknown): string | undefined => {
    const events = value as StreamEvent[];
    const seen = events.map((event) => event.type);
    if (JSON.stringify(seen) !== JSON.stringify(types)) return `expected events ${types.join(", ")}; got ${seen.join(", ") || "none"}`;
    const last = events.at(-1);
    const got = last?.type === "flow_completed" ? last.result : undefined;
    return got === result ? undefined : `expected the result ${JSON.stringify(result)}, got ${JSON.stringify(got)?.slice(0, 200)}`;
  };
}
