/**
 * `npm run soak`: every reliability suite in its long form, the same code as
 * the bounded tests with bigger numbers, then RELIABILITY.md rewritten with
 * the figures of this run. Exits non-zero when anything went wrong.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { CLIENT_KINDS } from "../helpers/clients.js";
import { RecordingServer } from "../helpers/recording-server.js";
import { SOAK_ATTACKS } from "./attack/attacks.js";
import { measureServerMemory, SOAK_MEMORY } from "./hardening/server-memory.js";
import { runAttacks } from "./attack/run-attacks.js";
import { BAD_INPUTS } from "./bad-input/catalogue.js";
import { type BadInputResult, tryBadInput } from "./bad-input/run-bad-inputs.js";
import { SOAK_RUN } from "./fault/plan.js";
import { runFaultScenario } from "./fault/run-fault-scenario.js";
import { runServerStop, type StopReport } from "./fault/server-stop.js";
import { HOSTILE_ANSWERS } from "./hostile/catalogue.js";
import { type HostileResult, tryHostileAnswer } from "./hostile/run-hostile-answers.js";
import { renderReliability, type SoakReport } from "./report/render.js";
import { closeSharedServer, runSecretScenario, type SecretsResult } from "./secrets/run-secrets.js";
import { ERROR_PATHS, OPERATIONS } from "./secrets/scenarios.js";
import { RawServer } from "./support/raw-server.js";

const say = (text: string): void => void process.stderr.write(`${text}\n`);
const started = Date.now();

say(`fault suite: ${SOAK_RUN.calls} calls…`);
let lastShown = 0;
const faults = await runFaultScenario(SOAK_RUN, (settled) => {
  if (settled - lastShown < SOAK_RUN.calls / 20) return;
  lastShown = settled;
  say(`  ${settled} settled (${Math.round((Date.now() - started) / 1000)} s)`);
});

say("a server that stops for good…");
const stops: StopReport[] = [await runServerStop("AsyncNoukai", 64), await runServerStop("Noukai", 6)];

say("hostile answers…");
const hostileServer = await RawServer.start(new URL("../helpers/responders/hostile.ts", import.meta.url));
const hostile: HostileResult[] = [];
for (const kind of CLIENT_KINDS) for (const answer of HOSTILE_ANSWERS) hostile.push(await tryHostileAnswer(hostileServer, kind, answer));
await hostileServer.close();

say("bad inputs…");
const recording = await RecordingServer.start(new URL("../helpers/responders/defects.ts", import.meta.url));
const badInputs: BadInputResult[] = [];
for (const kind of CLIENT_KINDS) {
  for (const bad of BAD_INPUTS) if (bad.kinds === undefined || bad.kinds.includes(kind)) badInputs.push(await tryBadInput(recording, kind, bad));
}
await recording.close();

say("secrets…");
const echo = await RawServer.start(new URL("../helpers/responders/echo-secret.ts", import.meta.url));
const secrets: SecretsResult[] = [];
for (const kind of CLIENT_KINDS) for (const scenario of [...OPERATIONS, ...ERROR_PATHS]) secrets.push(await runSecretScenario(kind, scenario, echo));
await echo.close();
await closeSharedServer();

say("the local server under hostile clients…");
const attacks = await runAttacks(SOAK_ATTACKS);

say(`the local server's memory: ${SOAK_MEMORY.executions} executions of 1 MB, ${SOAK_MEMORY.amplifications} amplifying requests…`);
const serverMemory = await measureServerMemory(SOAK_MEMORY);

const report: SoakReport = {
  finishedAt: new Date().toISOString(),
  durationMs: Date.now() - started,
  machine: `Node ${process.versions.node}, ${process.platform}/${process.arch}, ${availableParallelism()} cores`,
  faults,
  stops,
  hostile,
  badInputs,
  secrets,
  attacks,
  serverMemory,
};
writeFileSync(new URL("../../RELIABILITY.md", import.meta.url), renderReliability(report));

const problems = [
  ...faults.problems,
  ...stops.flatMap((stop) => stop.problems),
  ...hostile.flatMap((result) => result.problems.map((problem) => `${result.kind} ${result.answer}: ${problem}`)),
  ...badInputs.flatMap((result) => result.problems.map((problem) => `${result.kind} ${result.input}: ${problem}`)),
  ...secrets.flatMap((result) => result.leaks.map((leak) => `${result.kind} ${result.scenario}: the key in ${leak}`)),
  ...serverMemory.problems.map((problem) => `server memory: ${problem}`),
  ...attacks.problems,
];
say(`done in ${Math.round(report.durationMs / 1000)} s; RELIABILITY.md written; ${problems.length} problems`);
for (const problem of problems) say(`  ${problem}`);
process.exitCode = problems.length === 0 ? 0 : 1;
