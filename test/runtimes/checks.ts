/**
 * The async client's contract, in checks that run unchanged in every runtime
 * of the matrix (Bun, Deno, workerd, Chromium): each runtime's entry imports
 * the package its own way and hands the module to `runChecks`.
 *
 * This file runs outside Node and outside vitest, so it imports nothing at run
 * time (only types, which every runtime erases) and uses only what a web
 * runtime has: fetch, timers, AbortController.
 */
import type * as Noukai from "noukai";
import type { FlowDefinition } from "noukai/server";

type Sdk = typeof Noukai;

/** One check's outcome, as a runtime reports it (JSON). */
export interface CheckResult {
  name: string;
  pass: boolean;
  detail: string;
}

/** What a runtime's entry prints or returns: who ran the checks, and their results. */
export interface RuntimeReport {
  /** The runtime as it describes itself, e.g. `bun 1.4.5`. */
  runtime: string;
  results: CheckResult[];
}

const TEST_KEY = "nk_test_runtime_matrix";

/**
 * A flow the cancellation check needs: a first step that completes at once,
 * then one that takes far longer than the check waits, so a run that still
 * completes can only mean the abandoned request kept the server working.
 */
export const RUNTIME_FLOWS: FlowDefinition[] = [
  {
    org: "tests",
    project: "runtimes",
    slug: "cancel",
    draft: {
      steps: [
        { id: "quick", template: "quick: {{message}}" },
        { id: "long", template: "long: {{steps.quick}}", latencyMs: 4_000 },
      ],
    },
  },
];

/** Each check throws on failure and returns a one-line detail on success. */
type Check = (sdk: Sdk, baseUrl: string) => Promise<string>;

function fail(message: string): never {
  throw new Error(message);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The error a call failed with, or a failure when it succeeded. */
async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return fail("the call succeeded; it should have failed");
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === "string" ? ` (${code})` : ""}: ${error.message}`;
  }
  return String(error);
}

/** The class AND the name: a user logs `error.name`, and branches on `instanceof`. */
function expectError(error: unknown, expected: abstract new (...args: never[]) => Error, name: string, unlike: abstract new (...args: never[]) => Error): Error {
  if (!(error instanceof expected)) fail(`expected ${name}, got ${describeError(error)}`);
  if (error.name !== name) fail(`the error is a ${name} but is named "${error.name}"`);
  if (error instanceof unlike) fail(`the ${name} is also an instance of ${unlike.name}`);
  return error;
}

const client = (sdk: Sdk, baseUrl: string, options: Noukai.ClientOptions = {}) => new sdk.AsyncNoukai({ apiKey: TEST_KEY, baseUrl, ...options });

const CHECKS: Record<string, Check> = {
  async execute(sdk, baseUrl) {
    const result = await client(sdk, baseUrl).flow("examples/demo/hello").execute({ message: "from a runtime" });
    if (result.status !== "completed") fail(`status ${result.status}`);
    if (result.result !== "Hello! You said: from a runtime") fail(`result ${JSON.stringify(result.result)}`);
    return `completed: ${JSON.stringify(result.result)}`;
  },

  async "tool round"(sdk, baseUrl) {
    const rounds: string[] = [];
    const result = await client(sdk, baseUrl).flow("examples/demo/weather").execute({
      message: "weather in Lisbon",
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } } }],
      toolHandler: async (calls) => {
        rounds.push(calls.map((call) => `${call.function.name}${call.function.arguments}`).join(","));
        return calls.map((call) => ({ toolCallId: call.id, output: "sunny" }));
      },
    });
    if (rounds.join("|") !== 'get_weather{"location":"Lisbon"}') fail(`the handler saw ${JSON.stringify(rounds)}`);
    if (result.status !== "completed") fail(`ended ${result.status}`);
    if (result.result !== "Weather in Lisbon: sunny") fail(`result ${JSON.stringify(result.result)}`);
    return `one round, then ${JSON.stringify(result.result)}`;
  },

  async "steps()"(sdk, baseUrl) {
    const seen: string[] = [];
    for await (const step of client(sdk, baseUrl).flow("examples/demo/two-step").steps({ message: "rivers" })) seen.push(`${step.stepIndex}:${step.stepId}=${String(step.output)}`);
    const expected = ["0:outline=Outline of: rivers", "1:write=Article from [Outline of: rivers]"];
    if (JSON.stringify(seen) !== JSON.stringify(expected)) fail(`steps ${JSON.stringify(seen)}`);
    return `${seen.length} steps, in order`;
  },

  async "events() to flow_completed"(sdk, baseUrl) {
    const types: string[] = [];
    let result: unknown;
    for await (const event of client(sdk, baseUrl).flow("examples/demo/two-step").events({ message: "lakes", runRemaining: true })) {
      types.push(event.type);
      if (event.type === "flow_completed") result = event.result;
    }
    if (types[0] !== "run_started" || types.at(-1) !== "flow_completed") fail(`events ${types.join(", ")}`);
    if (result !== "Article from [Outline of: lakes]") fail(`result ${JSON.stringify(result)}`);
    return `${types.length} events, run_started to flow_completed`;
  },

  // Leaving the loop must cancel the request: the server then stops the step
  // in flight (its trace shows it failed, the run paused), where a request left
  // open would let it run to completion.
  async "break out of events()"(sdk, baseUrl) {
    const flow = client(sdk, baseUrl).flow("tests/runtimes/cancel");
    let executionId = "";
    for await (const event of flow.events({ message: "x", runRemaining: true })) {
      if (event.type === "run_started") executionId = event.executionId ?? "";
      if (event.type === "step_completed") break;
    }
    if (executionId === "") fail("no run_started event");
    // The long step takes 4 s; the server notices a closed request at once.
    // (workerd's clock moves only across I/O, which each poll does.)
    const started = Date.now();
    while (Date.now() - started < 3_000) {
      const trace = await flow.run(executionId).trace();
      const long = trace.steps.find((step) => step.stepId === "long");
      if (long !== undefined && long.status !== "running") {
        if (long.status !== "failed" || trace.flowRun.status === "completed") {
          fail(`the long step ended ${long.status} and the run ${trace.flowRun.status}: the request was not cancelled`);
        }
        return `the server stopped the step in flight (run ${trace.flowRun.status}) within ${Date.now() - started} ms`;
      }
      await sleep(50);
    }
    return fail("3 s after the break the server still runs the step: the request was not cancelled");
  },

  async "executeAsync + job.wait()"(sdk, baseUrl) {
    const job = await client(sdk, baseUrl).flow("examples/demo/hello").executeAsync({ message: "queued" });
    const done = await job.wait({ pollInterval: 50, timeout: 5_000 });
    if (done.executionId !== job.executionId || done.status !== "completed") fail(`job ended ${JSON.stringify(done)}`);
    if (done.result !== "Hello! You said: queued") fail(`result ${JSON.stringify(done.result)}`);
    return `job ${done.status}`;
  },

  async "run(id).trace()"(sdk, baseUrl) {
    const flow = client(sdk, baseUrl).flow("examples/demo/two-step");
    const run = await flow.execute({ message: "traced", trace: true });
    if (run.executionId === undefined) fail("the run has no executionId");
    const trace = await flow.run(run.executionId).trace();
    if (trace.flowRun.id !== run.executionId || trace.flowRun.status !== "completed") fail(`flowRun ${JSON.stringify(trace.flowRun)}`);
    const steps = trace.steps.map((step) => `${step.stepId}:${step.status}`).join(",");
    if (steps !== "outline:completed,write:completed") fail(`steps ${steps}`);
    return `${trace.steps.length} completed steps`;
  },

  // Both calls carry a signal AND a timeout; whichever fires first names the error.
  async "abort vs timeout"(sdk, baseUrl) {
    const flow = client(sdk, baseUrl, { maxRetries: 0 }).flow("examples/demo/slow");
    const aborting = new AbortController();
    setTimeout(() => aborting.abort(), 50);
    const aborted = await failureOf(() => flow.execute({ message: "x", signal: aborting.signal, timeout: 10_000 }));
    expectError(aborted, sdk.APIUserAbortError, "APIUserAbortError", sdk.APITimeoutError);
    const idle = new AbortController();
    const timedOut = await failureOf(() => flow.execute({ message: "x", signal: idle.signal, timeout: 100 }));
    expectError(timedOut, sdk.APITimeoutError, "APITimeoutError", sdk.APIUserAbortError);
    return `${describeError(aborted)} | ${describeError(timedOut)}`;
  },

  async "typed error"(sdk, baseUrl) {
    const error = await failureOf(() => client(sdk, baseUrl, { maxRetries: 0 }).flow("examples/demo/no-such-flow").execute({ message: "x" }));
    const typed = expectError(error, sdk.FlowNotFoundError, "FlowNotFoundError", sdk.FlowExecutionError) as Noukai.FlowNotFoundError;
    if (typed.statusCode !== 404) fail(`statusCode ${typed.statusCode}`);
    if (typed.code !== "FLOW_NOT_FOUND") fail(`code ${typed.code}`);
    // The id comes from a response header, which a browser only shows when CORS exposes it.
    if (!/^req_/.test(typed.requestId ?? "")) fail(`requestId ${typed.requestId}`);
    return `${typed.name} ${typed.statusCode} ${typed.code} ${typed.requestId}`;
  },

  async "new Noukai() refuses"(sdk) {
    let error: unknown;
    try {
      new sdk.Noukai({ apiKey: TEST_KEY });
    } catch (thrown) {
      error = thrown;
    }
    if (!(error instanceof TypeError)) fail(`expected a TypeError, got ${error === undefined ? "a client" : describeError(error)}`);
    if (!error.message.includes("AsyncNoukai")) fail(`the message does not name AsyncNoukai: ${error.message}`);
    return error.message;
  },
};

/** The checks' names, in the order they run. */
export const CHECK_NAMES = Object.keys(CHECKS);

const CHECK_LIMIT_MS = 15_000;

/** Runs every check in turn; a failure (or a hang past 15 s) is reported, never thrown. */
export async function runChecks(sdk: Sdk, baseUrl: string): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, check] of Object.entries(CHECKS)) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_LIMIT_MS} ms`)), CHECK_LIMIT_MS);
    });
    try {
      results.push({ name, pass: true, detail: await Promise.race([check(sdk, baseUrl), hang]) });
    } catch (error) {
      results.push({ name, pass: false, detail: describeError(error) });
    } finally {
      clearTimeout(timer);
    }
  }
  return results;
}
