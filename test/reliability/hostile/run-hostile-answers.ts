import type { ClientKind } from "../../helpers/clients.js";
import { makeClient } from "../../helpers/clients.js";
import { observe, summarise } from "../support/outcome.js";
import type { RawServer } from "../support/raw-server.js";
import { TsChild } from "../support/ts-child.js";
import { answerName } from "./catalogue.js";
import { type HostileAnswer, judge, makeCall } from "./expectations.js";
import type { ProbeRequest, ProbeResult } from "./memory-probe.js";

/** A process that buffered a 50 MB body grows by at least that much; one that kept 64 KiB barely moves. */
export const PEAK_GROWTH_LIMIT_MB = 24;

export interface HostileResult {
  kind: ClientKind;
  answer: string;
  serverDoes: string;
  expected: string;
  /** What the caller got: "value", or the error's class, code and message. */
  outcome: string;
  problems: string[];
  peakGrowthMB?: number;
}

/** Meets one hostile answer with one client and says how it went. */
export async function tryHostileAnswer(server: RawServer, kind: ClientKind, answer: HostileAnswer): Promise<HostileResult> {
  await server.respond(answer.responder);
  const result: HostileResult = { kind, answer: answerName(answer), serverDoes: answer.serverDoes, expected: answer.expect.says, outcome: "", problems: [] };
  if (answer.boundedMemory) {
    const probe = await probeInChild({ baseUrl: server.baseUrl, kind, answer: answerName(answer) });
    result.outcome = probe.outcome;
    result.problems.push(...probe.problems);
    result.peakGrowthMB = probe.peakGrowthMB;
    const limit = answer.peakGrowthLimitMB ?? PEAK_GROWTH_LIMIT_MB;
    if (probe.peakGrowthMB > limit) result.problems.push(`peak memory rose ${probe.peakGrowthMB} MB during the call (limit ${limit} MB)`);
  } else {
    const client = makeClient(kind, { apiKey: "nk_reliability_hostile", baseUrl: server.baseUrl, maxRetries: answer.maxRetries ?? 0 });
    const outcome = await observe(() => makeCall(answer, client));
    await client.close();
    result.outcome = summarise(outcome);
    result.problems.push(...judge(answer, outcome));
    if (answer.maxMs !== undefined && outcome.ms > answer.maxMs) result.problems.push(`the call took ${Math.round(outcome.ms)} ms, more than ${answer.maxMs}`);
  }
  if (answer.requests !== undefined) {
    const sent = (await server.requests()).length;
    if (sent !== answer.requests) result.problems.push(`the server was sent ${sent} requests, expected ${answer.requests}`);
  }
  return result;
}

async function probeInChild(request: ProbeRequest): Promise<ProbeResult> {
  const child = new TsChild<ProbeRequest, ProbeResult>(new URL("./memory-probe.ts", import.meta.url));
  try {
    child.send(request);
    return await child.next((m): m is ProbeResult => "peakGrowthMB" in m, 60_000);
  } finally {
    child.kill();
  }
}
