import type { AttackReport } from "../attack/run-attacks.js";
import { ADAPTER_RULES } from "../hardening/adapter-rules.js";
import { CLI_RULES } from "../hardening/cli-rules.js";
import { CLIENT_RULES } from "../hardening/client-rules.js";
import type { HardeningRow } from "../hardening/row.js";
import { RELAY_RULES } from "../hardening/relay-rules.js";
import { REPLAY_RULES } from "../hardening/replay-rules.js";
import { HEAP_LIMIT_MB, type ServerMemoryReport } from "../hardening/server-memory.js";
import { SERVER_RULES } from "../hardening/server-rules.js";
import type { BadInputResult } from "../bad-input/run-bad-inputs.js";
import type { FaultReport } from "../fault/run-fault-scenario.js";
import type { StopReport } from "../fault/server-stop.js";
import type { HostileResult } from "../hostile/run-hostile-answers.js";
import type { SecretsResult } from "../secrets/run-secrets.js";
import { cell, count, counts, table, verdict } from "./markdown.js";

export interface SoakReport {
  finishedAt: string;
  durationMs: number;
  machine: string;
  faults: FaultReport;
  stops: StopReport[];
  hostile: HostileResult[];
  badInputs: BadInputResult[];
  secrets: SecretsResult[];
  attacks: AttackReport;
  serverMemory: ServerMemoryReport;
}

const FAULT_NAMES: Record<string, string> = {
  status: "error statuses (429, 500, 502 HTML, 503, 504 empty)",
  latency: "latency spikes",
  resetBefore: "connections reset before any answer",
  resetAfter: "answers lost (the request ran, the connection was then reset)",
  cut: "event streams cut after 2 events",
};

/** RELIABILITY.md, from the figures of one soak run. */
export function renderReliability(report: SoakReport): string {
  return [header(report), faultSection(report.faults), stopSection(report.stops), hostileSection(report.hostile), badInputSection(report.badInputs), secretsSection(report.secrets), attackSection(report.attacks), hardeningSection(report.serverMemory), howSection()].join("\n\n") + "\n";
}

function header(report: SoakReport): string {
  const f = report.faults;
  const leaks = f.resourcesLeft.length;
  const secretLeaks = report.secrets.reduce((sum, result) => sum + result.leaks.length, 0);
  return `# Reliability

The figures of the last \`npm run soak\` (finished ${report.finishedAt} after ${minutes(report.durationMs)}, on ${report.machine}). This file is written by that run; the same suites run in a bounded form in \`npm test\` (\`test/reliability/\`).

| | |
| --- | --- |
| calls made | ${count(f.calls)}: \`AsyncNoukai\` ${count(f.byClient.AsyncNoukai)} (concurrency ${f.size.asyncLanes}), blocking \`Noukai\` ${count(f.byClient.Noukai)} (${f.size.blockingLanes} threads, one call at a time each) |
| calls that settled correctly | ${count(f.outcomes.ok + f.outcomes.typedError)} of ${count(f.calls)}: ${count(f.outcomes.ok)} with the right value, ${count(f.outcomes.typedError)} with a typed \`NoukaiError\`; wrong or late: ${count(f.outcomes.wrong)}; unsettled: ${count(f.calls - f.settled)} |
| faults injected | ${Object.entries(f.faultsInjected).map(([kind, n]) => `${FAULT_NAMES[kind] ?? kind}: ${count(n ?? 0)}`).join("; ")}; and the server's door closed twice (it moved to another port, then went away for good) |
| retries made | ${counts(f.retries)} (each checked against \`Retry-After\`, the backoff and the deadline) |
| executions on the server | ${count(f.executionsStarted)} started, ${count(f.idempotentReplays)} repeats answered from the idempotency record |
| **duplicates on the server** | **${count(f.duplicates)}** (sessions with more than one execution); successes with no execution: ${count(f.missing)}; executions no session accounts for: ${count(f.unaccounted)} |
| **leaks** | **${leaks}** handles left after \`close()\` (${leaks === 0 ? "none" : f.resourcesLeft.join(", ")}); the load process exited ${f.exitMs} ms after its last call; unhandled rejections: ${f.unhandledRejections}; API key found in logs or errors: ${secretLeaks} |
| memory of the load process | ${memoryLine(f)} |
| longest call | ${(f.slowest.share * 100).toFixed(0)} % of its deadline (${cell(f.slowest.what)}) |`;
}

/** The parts of the package that keep a table of what was found and the rule that now stops it. */
const HARDENING: [string, HardeningRow[]][] = [
  ["the clients", CLIENT_RULES],
  ["the local server", SERVER_RULES],
  ["the web relay", RELAY_RULES],
  ["record and replay", REPLAY_RULES],
  ["the web adapters", ADAPTER_RULES],
  ["the command line", CLI_RULES],
];

/** The hardening table of RELIABILITY.md, from the rules files (report/write-hardening-table.ts writes it in without a soak run). */
export function hardeningTable(): string {
  const rows = HARDENING.flatMap(([part, rules]) => rules.map((row) => [part, cell(row.finding, 400), cell(row.rule, 400), cell(row.test, 300)]));
  return table(["part", "finding", "rule", "proved by"], rows);
}

/** The table's header line, where the table starts in RELIABILITY.md; it ends at the first blank line after. */
const HARDENING_HEADER = "| part | finding | rule | proved by |";

/** RELIABILITY.md's text with its hardening table replaced by `table`. */
export function replaceHardeningTable(text: string, table: string): string {
  const start = text.indexOf(HARDENING_HEADER);
  if (start < 0) throw new Error("RELIABILITY.md has no hardening table");
  const end = text.indexOf("\n\n", start);
  return `${text.slice(0, start)}${table}${end < 0 ? "\n" : text.slice(end)}`;
}

function hardeningSection(memory: ServerMemoryReport): string {
  const phase = (name: string, p: ServerMemoryReport["executions"]) =>
    [name, count(p.requests), cell(Object.entries(p.answers).map(([answer, n]) => `${answer}: ${count(n)}`).join("; "), 300), `${p.rssMB} MB`, `${p.heapUsedMB} MB`, `${p.peakRssMB} MB`];
  return `## Hardening: what was found, the rule that stops it, where it is proved

Each finding of the attacks on the package (a hostile server, a hostile page or client, a careless caller), the rule that now stops the whole class of it, and the test that proves the rule in \`npm test\`. The rows live beside the tests (\`test/reliability/hardening/*-rules.ts\`).

${hardeningTable()}

### The local server's memory under the load that used to exhaust it

The server alone in a child process with its default limits, its V8 heap capped at ${HEAP_LIMIT_MB} MB (a server that kept more than it states would die here), against the ${memory.budgetMB} MB the server README states for the whole process; resident memory after a full collection once each phase was over, and the highest it reached (started at ${memory.startRssMB} MB). ${memory.problems.length === 0 ? "Within the budget throughout." : `Problems: ${memory.problems.map((problem) => cell(problem)).join("; ")}`}

${table(["load", "requests", "answers", "resident after", "heap in use after", "highest resident"], [phase("executions carrying a 1 MB message", memory.executions), phase("requests whose blockOverrides repeat large values", memory.amplifications)])}`;
}

function minutes(ms: number): string {
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${total % 60} s`;
}

function memoryLine(f: FaultReport): string {
  const warm = f.memory.find((sample) => sample.settled >= 0.1 * f.calls);
  const end = f.memory.filter((sample) => sample.afterClose !== true).at(-1);
  const closed = f.memory.find((sample) => sample.afterClose === true);
  const show = (label: string, sample: (typeof f.memory)[number] | undefined) =>
    sample === undefined ? "" : `${label} (${count(sample.settled)} calls): heap ${sample.heapUsedMB} MB + buffers ${sample.externalMB} MB, resident ${sample.rssMB} MB`;
  return [show("start, after the warm-up", warm), show("end", end), show("after close()", closed)].filter(Boolean).join("; ");
}

function faultSection(f: FaultReport): string {
  const rows = Object.entries(f.byOperation).map(([name, op]) => {
    const errors = Object.values(op.typedErrors).reduce((sum, n) => sum + n, 0);
    const calls = op.ok + op.wrong + errors;
    return [name, count(calls), count(op.ok), `${count(errors)}: ${cell(counts(op.typedErrors), 160)}`, count(op.wrong), `${Math.round(op.totalMs / Math.max(1, calls))} ms`];
  });
  const phases = Object.entries(f.byPhase).map(([phase, p]) => [phase, count(p.ok), count(p.typedError), count(p.wrong)]);
  const memory = f.memory.map((sample) => [sample.afterClose ? `${count(sample.settled)} (after close)` : count(sample.settled), String(sample.heapUsedMB), String(sample.externalMB), String(sample.rssMB)]);
  return `## The fault suite

Both clients against the local server with seeded fault injection on every route a call uses (seed ${f.size.seed}), through a front door that closed when ${Math.round(f.size.moveAt * 100)} % of the calls had settled, reopened on another port ${f.size.outageMs} ms later, and closed for good at ${(f.size.goneAt * 100).toFixed(1)} %. Timeout ${f.size.timeoutMs} ms per request, \`maxRetries\` ${f.size.maxRetries}. Every call had its own session id; the executions of every session were counted on the server afterwards.

${table(["operation", "calls", "right value", "typed errors", "wrong or late", "mean time"], rows)}

By the server's availability when the call started:

${table(["phase", "value", "typed error", "wrong"], phases)}

Memory of the load process (MB, after a full collection):

${table(["calls settled", "heap", "buffers", "resident"], memory)}`;
}

function stopSection(stops: StopReport[]): string {
  const rows = stops.map((stop) => [stop.kind, count(stop.calls), cell(counts(stop.endings), 300), `${stop.afterCloseMs} ms`, verdict(stop.problems)]);
  return `## A server that stops for good

A real local server closed (\`close()\`: sockets dropped, streams ended, queued jobs cancelled) while calls on its slow flow were in flight; then calls made afterwards.

${table(["client", "calls", "how they ended", "slowest call after the close", "verdict"], rows)}`;
}

/** Results of both clients side by side: one row per case, what the caller got (once when both got the same), a verdict per client. */
function sideBySide<T extends { kind: string }>(results: T[], key: (result: T) => string, got: (result: T) => string, problems: (result: T) => string[]): Map<string, { first: T; got: string; verdicts: Record<string, string> }> {
  const rows = new Map<string, { first: T; got: string; verdicts: Record<string, string>; seen: Record<string, string> }>();
  for (const result of results) {
    const row = rows.get(key(result)) ?? { first: result, got: "", verdicts: {}, seen: {} };
    row.seen[result.kind] = got(result);
    row.verdicts[result.kind] = verdict(problems(result));
    const distinct = [...new Set(Object.values(row.seen))];
    row.got = distinct.length === 1 ? (distinct[0] ?? "") : Object.entries(row.seen).map(([kind, text]) => `${kind}: ${text}`).join(" / ");
    rows.set(key(result), row);
  }
  return rows;
}

const verdictOf = (verdicts: Record<string, string>, kind: string): string => verdicts[kind] ?? "– (not applicable)";

function hostileSection(results: HostileResult[]): string {
  const got = (r: HostileResult) => `${r.outcome === "value" ? `value: ${r.expected}` : r.outcome}${r.peakGrowthMB === undefined ? "" : ` (peak memory +${r.peakGrowthMB} MB)`}`;
  const rows = [...sideBySide(results, (r) => r.answer, got, (r) => r.problems)].map(
    ([name, row]) => [name, cell(row.first.serverDoes), cell(row.got, 260), verdictOf(row.verdicts, "AsyncNoukai"), verdictOf(row.verdicts, "Noukai")],
  );
  return `## Hostile answers

A raw \`node:net\` server of the suite's own, answering each way below. ✓: the caller got the documented result, or a typed error with a readable message (no \`[object Object]\`, no control characters, at most 64 KiB of body kept), and nothing hung.

${table(["answer", "the server", "what the caller got", "AsyncNoukai", "Noukai"], rows)}`;
}

function badInputSection(results: BadInputResult[]): string {
  const rows = [...sideBySide(results, (r) => r.input, (r) => r.outcome, (r) => r.problems)].map(([input, row]) => [
    cell(input),
    cell(row.got, 260),
    verdictOf(row.verdicts, "AsyncNoukai"),
    verdictOf(row.verdicts, "Noukai"),
  ]);
  return `## Bad input from the caller

✓: refused with the expected class of error, naming the argument, before any request: the recording server saw nothing and \`onLog\` heard nothing (a tool handler's mistake can only show once the first answer asked for tools; the resume is then never sent).

${table(["input", "what the caller got", "AsyncNoukai", "Noukai"], rows)}`;
}

function secretsSection(results: SecretsResult[]): string {
  const rows = [...sideBySide(results, (r) => r.scenario, (r) => r.outcome, (r) => r.leaks.map((leak) => `the key in ${leak}`))].map(([scenario, row]) => [
    cell(scenario),
    cell(row.got, 200),
    verdictOf(row.verdicts, "AsyncNoukai"),
    verdictOf(row.verdicts, "Noukai"),
  ]);
  const events = results.reduce((sum, result) => sum + result.logEvents, 0);
  return `## Secrets

Every operation with \`logPayloads: true\`, then every error path, including a server that sends the \`Authorization\` header back in each place an answer has (body, headers, event data, tool-call ids, a malformed head, JSON escapes). Searched for the key: ${count(events)} log events, and every value or error (message, stack, every property including \`cause\`, \`headers\`, \`responseBody\`, \`step\`), with their \`JSON.stringify\` and \`util.inspect\` forms. ✓: the key was nowhere.

${table(["scenario", "what the caller got", "AsyncNoukai", "Noukai"], rows)}`;
}

function attackSection(report: AttackReport): string {
  const rows = report.results.map((result) => [
    result.name,
    cell(result.observed, 300),
    `${result.served.ok}/${result.served.ok + result.served.failed}, slowest ${result.served.slowestMs} ms`,
    `heap ${result.during.heapUsedMB} MB, resident ${result.during.rssMB} MB, ${count(result.during.connections)} sockets`,
  ]);
  return `## The local server under hostile clients

The server alone in a process of its own; a well-behaved client called it throughout each attack.

${table(["attack", "what the attacker saw", "the polite client served", "server during the attack"], rows)}

${report.results.flatMap((result) => (result.details ?? []).map((detail) => `- ${result.name}: ${cell(detail, 400)}`)).join("\n")}

Server memory (after a full collection): ${report.before.heapUsedMB} MB heap / ${report.before.rssMB} MB resident before, peak ${report.peakHeapMB} MB / ${report.peakRssMB} MB, ${report.after.heapUsedMB} MB / ${report.after.rssMB} MB after (${report.after.connections} sockets and ${report.after.openStreams} streams left). Warnings: ${report.warnings.length === 0 ? "none" : report.warnings.map((w) => cell(w, 200)).join("; ")}. Verdict: ${verdict(report.problems)}`;
}

function howSection(): string {
  return `## How it is measured

- **Settled correctly**: every call resolved with the value the deterministic local flows produce, or rejected with a \`NoukaiError\` subclass, within its deadline (the timeout times the exchanges it makes, plus 3 s of slack for a loaded machine). Anything else (a wrong value, an untyped error, a late call, a retry that broke a rule) counts as wrong.
- **Duplicates**: every run-starting call sends its own \`X-Session-Id\`; afterwards \`GET /seq/sessions/{id}\` lists the executions of each. A session with two is a flow that ran twice. The sum over sessions is compared with the server's own count of executions started.
- **Retries**: every \`retry\` log event is checked: the delay is what the answer asked (429: its \`Retry-After\` seconds; 503: its HTTP-date; otherwise the jittered backoff), the next attempt came no sooner, and the retry was scheduled to end before the request's deadline.
- **Leaks**: the load runs in a child process; after closing every client it lists what still keeps its event loop alive (\`process.getActiveResourcesInfo()\`, beyond what it started with), then must exit by itself.
- **Memory**: sampled after a full collection (\`--expose-gc\`) each time a twentieth of the calls has settled; flat means the heap grows less than 24 MB and resident memory less than 96 MB from the end of the warm-up to the end.
- The front door that closes and reopens is a TCP relay: callers see exactly what they would of a server that stops (connections dropped, then refused), while the records behind it survive to be counted. A separate run closes a real server for good with calls in flight.`;
}
