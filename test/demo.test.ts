import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

/** Ids, the port and wall-clock times differ per run; everything else is fixed. */
function normalise(report: string): string {
  return report
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/req_[0-9a-f]+/g, "<request>")
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>")
    .replace(/ \d+ ms {2}trigger job/, " <n> ms  trigger job")
    .replace(/in \d+\.\d s\./, "in <n> s.");
}

const EXPECTED = `Noukai demo: the SDK against the local Noukai server, embedded in this process
(no network and no API key; NOUKAI_API_KEY, NOUKAI_ENV and NOUKAI_BASE_URL are not read)
server: http://127.0.0.1:<port>/api/v1

1. execute(): examples/demo/hello
   result: Hello! You said: Hello from the demo
   status completed, execution <id>

2. steps(): examples/demo/two-step, each step as it completes
   ✓ 1. Outline           0 ms   11 tokens  $0.00001050
   ✓ 2. Write             0 ms   15 tokens  $0.00001650
   last output: Article from [Outline of: the demo]

3. a tool call answered by local code: examples/demo/weather
   the flow asked get_weather({"location":"Lisbon"}); the local handler answered {"sky":"sunny","tempC":24}
   result: Weather in Lisbon: {"sky":"sunny","tempC":24}

4. a queued job: examples/demo/slow, executeAsync() then wait()
   queued job <id>
   completed: third: second: first: a queued job

5. that job's run trace: run(executionId).trace()
   run <id>  completed  3 steps  <n> ms  trigger job
   STEP    ATTEMPT  LOOP  STATUS     DURATION  MODEL          TOKENS  COST
   first   1        -     completed  300 ms    noukai/mock-1  12      $0.00001100
   second  1        -     completed  300 ms    noukai/mock-1  14      $0.00001400
   third   1        -     completed  300 ms    noukai/mock-1  16      $0.00001700

6. a failing flow: examples/demo/broken, through steps()
   ✓ 1. Prepare           0 ms   11 tokens  $0.00001050
   steps() threw FlowExecutionError: Step "Explode" failed: the mock model refused to answer step "explode"
     code MODEL_ERROR, step explode, execution <id>, request <request>
     (branch on error.code; execute() returns the same failure as a result with status "failed")

7. the blocking client: new Noukai(), the same call without await
   result: Hello! You said: no await needed

Done: 7 parts in <n> s.
The same from a shell: node dist/cli.js dev, then node dist/cli.js --dev run examples/demo/two-step -m hi
`;

describe("the main job (npm start)", () => {
  it("prints the same report every time, and ignores NOUKAI_* settings that point elsewhere", async () => {
    const env = {
      ...process.env,
      NOUKAI_API_KEY: "nk_production_key_that_must_not_be_used",
      NOUKAI_ENV: "not-an-environment",
      NOUKAI_BASE_URL: "http://api.example.com/api/v1",
    };
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { cwd: root, env, timeout: 60_000 });
    expect(stderr).toBe("");
    expect(normalise(stdout)).toBe(EXPECTED);
  });

  it("is what npm start runs, after a build", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["start"]).toMatch(/^tsup .*&& node --import tsx scripts\/demo\.ts$/);
  });
});
