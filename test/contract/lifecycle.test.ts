import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { APIUserAbortError, type LogEvent, Noukai } from "noukai";
import { describe, expect, it } from "vitest";
import { CLIENT_KINDS, makeClient, TEST_KEY, settle } from "../helpers/clients.js";
import { useLocalServer } from "../helpers/local-server.js";

const local = useLocalServer();
const distIndex = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

describe.each(CLIENT_KINDS)("%s lifecycle", (kind) => {
  const client = (extra = {}) => makeClient(kind, { apiKey: TEST_KEY, baseUrl: local.baseUrl, ...extra });

  it("fails calls made after close() clearly, and closes twice without complaint", async () => {
    const closed = client();
    await closed.close();
    await closed.close();
    await closed.aclose();
    const attempt = settle(() => closed.flow("examples/demo/hello").execute({ message: "x" }));
    await expect(attempt).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(attempt).rejects.toMatchObject({ code: "CLIENT_CLOSED" });
    await expect(attempt).rejects.toThrow(/client was closed/);
  });

  // An async caller can close from elsewhere while a call waits; a blocked
  // caller can only close from its own thread, between two events.
  if (kind === "AsyncNoukai") {
    it("ends calls in flight when closed", async () => {
      const busy = client();
      const running = busy.flow("examples/demo/slow").execute({ message: "x" });
      setTimeout(() => void busy.close(), 50);
      await expect(running).rejects.toMatchObject({ name: "APIUserAbortError", code: "CLIENT_CLOSED" });
    });
  } else {
    it("ends a stream in progress when closed between two of its steps", async () => {
      const busy = new Noukai({ apiKey: TEST_KEY, baseUrl: local.baseUrl });
      const seen: number[] = [];
      const reading = settle(() => {
        for (const step of busy.flow("examples/demo/slow").steps({ message: "x" })) {
          seen.push(step.stepIndex);
          void busy.close();
        }
      });
      await expect(reading).rejects.toMatchObject({ name: "APIUserAbortError", code: "CLIENT_CLOSED" });
      expect(seen).toEqual([0]);
    });
  }

  it("closes at the end of an `await using` block", async () => {
    let escaped: ReturnType<typeof client> | undefined;
    {
      await using scoped = client();
      escaped = scoped;
      expect((await scoped.flow("examples/demo/hello").execute({ message: "x" })).status).toBe("completed");
    }
    await expect(settle(() => escaped.flow("examples/demo/hello").execute({ message: "x" }))).rejects.toMatchObject({ code: "CLIENT_CLOSED" });
  });

  it("cancels every call through the client's signal", async () => {
    const controller = new AbortController();
    const guarded = client({ signal: controller.signal });
    controller.abort();
    await expect(settle(() => guarded.flow("examples/demo/hello").execute({ message: "x" }))).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("lets a process exit as soon as its work is done, without close()", () => {
    const script = `
      const { ${kind} } = await import(${JSON.stringify(distIndex)});
      const client = new ${kind}({ apiKey: "nk_exit_test", baseUrl: ${JSON.stringify(local.baseUrl)} });
      await client.flow("examples/demo/hello").execute({ message: "bye" });
      globalThis.lastCallAt = Date.now();
      process.on("exit", () => console.log(Date.now() - globalThis.lastCallAt));
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 });
    expect(child.status).toBe(0);
    expect(Number(child.stdout.trim())).toBeLessThan(1_000);
  });

  it("logs each request and response, with bodies only when asked", async () => {
    const quiet: LogEvent[] = [];
    const loud: LogEvent[] = [];
    await client({ onLog: (e: LogEvent) => quiet.push(e) }).flow("examples/demo/hello").execute({ message: "x" });
    await client({ onLog: (e: LogEvent) => loud.push(e), logPayloads: true }).flow("examples/demo/hello").execute({ message: "x" });
    expect(quiet).toEqual([
      { phase: "request", method: "POST", path: "/seq/examples/demo/hello/execute", attempt: 0 },
      { phase: "response", method: "POST", path: "/seq/examples/demo/hello/execute", attempt: 0, statusCode: 200, requestId: expect.stringMatching(/^req_/) as string },
    ]);
    expect(loud[0]?.requestBody).toEqual({ message: "x", trace: false });
    expect(loud[1]?.responseBody).toMatchObject({ status: "completed" });
    expect(JSON.stringify([quiet, loud])).not.toContain(TEST_KEY);
  });
});
