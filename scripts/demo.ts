/**
 * The main job (`npm start`): the local Noukai server, embedded in this
 * process, and the SDK running the `examples/demo` flows against it, with a
 * short report. No network, no key: the clients get `apiKey` and `baseUrl`
 * explicitly, so NOUKAI_API_KEY, NOUKAI_ENV and NOUKAI_BASE_URL play no part.
 */
import { pathToFileURL } from "node:url";
import { AsyncNoukai } from "../dist/index.js";
import { startServer } from "../dist/server.js";
import {
  blockingClient,
  type DemoContext,
  localToolCall,
  plainExecute,
  queuedJob,
  runTrace,
  streamedSteps,
  typedError,
} from "./demo/parts.js";

/** Any `nk_` key works on a local server started without `apiKeys`. */
const DEMO_KEY = "nk_local_demo";

/** Runs the whole demo, writing the report line by line. Rejects if any part does not behave as shown. */
export async function runDemo(write: (line: string) => void): Promise<void> {
  const started = Date.now();
  const server = await startServer({ port: 0 });
  const connection = { apiKey: DEMO_KEY, baseUrl: server.baseUrl };
  const client = new AsyncNoukai(connection);
  const context: DemoContext = { client, connection, say: (text) => write(`   ${text}`) };
  let part = 0;
  const heading = (title: string) => write(`${part === 0 ? "" : "\n"}${++part}. ${title}`);
  try {
    write("Noukai demo: the SDK against the local Noukai server, embedded in this process");
    write("(no network and no API key; NOUKAI_API_KEY, NOUKAI_ENV and NOUKAI_BASE_URL are not read)");
    write(`server: ${server.baseUrl}\n`);
    heading("execute(): examples/demo/hello");
    await plainExecute(context);
    heading("steps(): examples/demo/two-step, each step as it completes");
    await streamedSteps(context);
    heading("a tool call answered by local code: examples/demo/weather");
    await localToolCall(context);
    heading("a queued job: examples/demo/slow, executeAsync() then wait()");
    const jobId = await queuedJob(context);
    heading("that job's run trace: run(executionId).trace()");
    await runTrace(context, jobId);
    heading("a failing flow: examples/demo/broken, through steps()");
    await typedError(context);
    heading("the blocking client: new Noukai(), the same call without await");
    blockingClient(context);
    write(`\nDone: ${part} parts in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    write("The same from a shell: node dist/cli.js dev, then node dist/cli.js --dev run examples/demo/two-step -m hi");
  } finally {
    await client.close();
    await server.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemo((line) => console.log(line)).then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      console.error(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exitCode = 1;
    },
  );
}
