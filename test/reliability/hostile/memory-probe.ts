/**
 * Meets one hostile answer in a process of its own and reports how far the
 * process's peak resident memory rose during the call: a client that buffered
 * a 50 MB body would show it, whatever it kept afterwards.
 */
import { resourceUsage } from "node:process";
import { type ClientKind, makeClient } from "../../helpers/clients.js";
import { observe, summarise } from "../support/outcome.js";
import { hostileAnswer } from "./catalogue.js";
import { judge, makeCall } from "./expectations.js";

export interface ProbeRequest {
  baseUrl: string;
  kind: ClientKind;
  answer: string;
}

export interface ProbeResult {
  outcome: string;
  problems: string[];
  peakGrowthMB: number;
}

const request = await new Promise<ProbeRequest>((resolve) => process.once("message", resolve));
const answer = hostileAnswer(request.answer);
const client = makeClient(request.kind, { apiKey: "nk_reliability_probe", baseUrl: request.baseUrl, maxRetries: answer.maxRetries ?? 0 });
const peakBefore = resourceUsage().maxRSS;
const outcome = await observe(() => makeCall(answer, client));
const peakGrowthMB = Math.round((resourceUsage().maxRSS - peakBefore) / 102.4) / 10;
await client.close();
const result: ProbeResult = { outcome: summarise(outcome), problems: judge(answer, outcome), peakGrowthMB };
process.send?.(result, () => process.disconnect());
