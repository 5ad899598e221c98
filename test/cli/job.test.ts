import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli, KEY, startCli } from "./helpers.js";

const local = useLocalServer();
const FAST = ["--poll-interval", "0.05"];

async function submit(flow: string, ...input: string[]): Promise<string> {
  const run = await cli(["job", "submit", flow, ...input, ...at(local.baseUrl)]);
  expect(run.code).toBe(0);
  return run.stdout;
}

describe("noukai job", () => {
  it("submit prints the execution id in a pipe; wait prints the result", async () => {
    const id = await submit("examples/demo/slow", "-m", "queued");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const waited = await cli(["job", "wait", "examples/demo/slow", id, ...FAST, ...at(local.baseUrl)]);
    expect(waited).toMatchObject({ code: 0, stdout: "third: second: first: queued", stderr: "" });
    const status = await cli(["job", "status", "examples/demo/slow", id, ...at(local.baseUrl)]);
    expect(status.out).toEqual(["completed", "third: second: first: queued"]);
  });

  it("says what to do next on a terminal, with the flags that name the same server (never the key)", async () => {
    const run = await cli(["job", "submit", "examples/demo/hello", "-m", "hi", ...at(local.baseUrl)], { isTTY: true });
    const id = /as job (\S+)$/.exec(run.out[0] ?? "")?.[1] ?? "";
    const hint = `wait for it: noukai job wait examples/demo/hello ${id} --base-url ${local.baseUrl}`;
    expect(run.out).toEqual([`queued examples/demo/hello as job ${id}`, hint]);
    // Pasted as printed (the key from the environment), the hint waits on the same server.
    const words = hint.replace("wait for it: noukai ", "").split(" ");
    const waited = await cli([...words, ...FAST], { isTTY: true, env: { NOUKAI_API_KEY: KEY } });
    expect(waited).toMatchObject({ code: 0, out: ["Hello! You said: hi"] });
    // Named by the environment, the server is named by it again when the hint is pasted: no flag to add.
    const fromEnv = await cli(["job", "submit", "examples/demo/hello", "-m", "hi"], { isTTY: true, env: { NOUKAI_BASE_URL: local.baseUrl, NOUKAI_API_KEY: KEY } });
    expect(fromEnv.out[1]).toMatch(/^wait for it: noukai job wait examples\/demo\/hello \S+$/);
  });

  it("prints one JSON line per answer with --json", async () => {
    const submitted = await cli(["job", "submit", "examples/demo/slow", "-m", "j", "--json", ...at(local.baseUrl)]);
    const job = JSON.parse(submitted.stdout) as { executionId: string; flowId: string };
    expect(job).toEqual({ executionId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string, flowId: "flow_examples/demo/slow" });
    const status = await cli(["job", "status", "examples/demo/slow", job.executionId, "--json", ...at(local.baseUrl)]);
    expect(JSON.parse(status.stdout)).toMatchObject({ executionId: job.executionId, status: expect.stringMatching(/^(pending|running|completed)$/) as string });
    const waited = await cli(["job", "wait", "examples/demo/slow", job.executionId, "--json", ...FAST, ...at(local.baseUrl)]);
    expect(JSON.parse(waited.stdout)).toEqual({ executionId: job.executionId, status: "completed", result: "third: second: first: j", error: null });
  });

  it("wait reports a failed job as one line on stderr and exits 6; status is still an answer", async () => {
    const id = await submit("examples/demo/broken", "-m", "x");
    const waited = await cli(["job", "wait", "examples/demo/broken", id, ...FAST, ...at(local.baseUrl)]);
    expect(waited).toMatchObject({ code: 6, stdout: "" });
    expect(waited.err).toEqual([expect.stringMatching(new RegExp(`^noukai: FlowExecutionError \\(JOB_FAILED, request req_\\w+, execution ${id}\\): .*explode`)) as string]);
    const status = await cli(["job", "status", "examples/demo/broken", id, ...at(local.baseUrl)]);
    expect(status.code).toBe(0);
    expect(status.out[0]).toBe("failed");
    expect(status.out[1]).toMatch(/^error: .*explode/);
  });

  it("a job nobody queued is not found (exit 4)", async () => {
    const run = await cli(["job", "status", "examples/demo/hello", "00000000-0000-4000-8000-000000000000", ...at(local.baseUrl)]);
    expect(run.code).toBe(4);
    expect(run.err).toEqual([expect.stringMatching(/^noukai: RunNotFoundError \(JOB_NOT_FOUND, request req_\w+, execution 0{8}-[-0-9]+\): HTTP 404 JOB_NOT_FOUND: /) as string]);
  });

  it("Ctrl-C while waiting between polls cancels the wait at once and exits 130", async () => {
    const id = await submit("examples/demo/slow", "-m", "x");
    // A 30 s poll interval: without the cancel, this test would time out.
    const waiting = startCli(["job", "wait", "examples/demo/slow", id, "--poll-interval", "30", ...at(local.baseUrl)]);
    setTimeout(() => waiting.stop("SIGINT"), 200);
    expect(await waiting.done).toMatchObject({ code: 130, out: [], err: ["noukai: cancelled (SIGINT)"] });
  });

  it("needs an action, and the id for status and wait", async () => {
    for (const argv of [["job"], ["job", "launch", "examples/demo/hello"], ["job", "wait", "examples/demo/hello"], ["job", "status", "examples/demo/hello", "id", "-m", "x"]]) {
      const run = await cli([...argv, ...at(local.baseUrl)]);
      expect(run.code).toBe(2);
      expect(run.err).toHaveLength(1);
    }
  });
});
