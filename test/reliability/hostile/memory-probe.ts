/**
 * Meets one hostile answer in a process of its own and reports how far the
 * process's resident memory rose during the call, at its highest: a client
 * that buffered a 50 MB body would show it, whatever it kept afterwards.
 */
import { type ClientKind, makeClient } from "../../helpers/clients.js";
import { MemoryWatch } from "../support/memory-watch.js";
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
const watch = await MemoryWatch.start();
// The code a client loads on its first calls (undici and its parser) is not
// the answer's cost: a first call to the watcher's server starts loading it
// in the background, and one more after a pause finds it loaded.
const warmUp = makeClient(request.kind, { apiKey: "nk_reliability_probe", baseUrl: watch.warmUpUrl, maxRetries: 0 });
await observe(() => warmUp.flow("probe/warm/up").execute({ message: "x" }));
await new Promise((resolve) => setTimeout(resolve, 500));
await observe(() => warmUp.flow("probe/warm/up").execute({ message: "x" }));
await warmUp.close();
const client = makeClient(request.kind, { apiKey: "nk_reliability_probe", baseUrl: request.baseUrl, maxRetries: answer.maxRetries ?? 0 });
const before = await watch.restart();
const outcome = await observe(() => makeCall(answer, client));
const peakGrowthMB = Math.round(((await watch.peak()) - before) / 104_857.6) / 10;
await client.close();
await watch.stop();
const result: ProbeResult = { outcome: summarise(outcome), problems: judge(answer, outcome), peakGrowthMB };
process.send?.(result, () => process.disconnect());
