import { createServerApp, FlowValidationError, type RequestLogEntry } from "noukai/server";
import { describe, expect, it } from "vitest";

/** What `noukai dev` builds on: a request log, flows replaced while serving, and the local-only flow listing. */
const KEY = { authorization: "Bearer nk_local_dev" };
const call = (path: string, init: RequestInit = {}) => new Request(`http://127.0.0.1/api/v1${path}`, { ...init, headers: { ...KEY, ...(init.headers as Record<string, string> | undefined) } });
const post = (path: string, body: unknown) => call(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
const flow = (slug: string, template: string) => ({ org: "dev", project: "local", slug, draft: { steps: [{ id: "only", template }] } });

describe("the local server's dev hooks", () => {
  it("reports each request once answered: method, path, status, duration, request and execution ids (a stream when it ends)", async () => {
    const entries: RequestLogEntry[] = [];
    const app = createServerApp({ onRequest: (entry) => entries.push(entry) });
    try {
      const executed = (await (await app.fetch(post("/seq/examples/demo/hello/execute", { message: "hi" }))).json()) as { executionId: string };
      await (await app.fetch(post("/seq/examples/demo/hello/step", { message: "hi", stepIndex: 0 }))).text();
      await app.fetch(call(`/seq/examples/demo/hello/runs/${executed.executionId}/trace`));
      await app.fetch(call("/seq/examples/demo/nope/execute", { method: "POST", body: "{}" }));
      expect(entries.map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual([
        "POST /api/v1/seq/examples/demo/hello/execute 200",
        "POST /api/v1/seq/examples/demo/hello/step 200",
        `GET /api/v1/seq/examples/demo/hello/runs/${executed.executionId}/trace 200`,
        "POST /api/v1/seq/examples/demo/nope/execute 404",
      ]);
      expect(entries[0]?.executionId).toBe(executed.executionId);
      expect(entries[1]?.executionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(entries[1]?.executionId).not.toBe(executed.executionId);
      expect(entries[2]?.executionId).toBe(executed.executionId);
      expect(entries[3]?.executionId).toBeUndefined();
      for (const entry of entries) {
        expect(entry.requestId).toMatch(/^req_/);
        expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await app.close();
    }
  });

  it("replaces its flows while serving, and keeps the last good ones when given a bad one", async () => {
    const app = createServerApp({ flows: [flow("greet", "hello {{message}}")] });
    const run = async (slug: string) => {
      const answer = await app.fetch(post(`/seq/dev/local/${slug}/execute`, { message: "you" }));
      return answer.status === 200 ? ((await answer.json()) as { result: unknown }).result : answer.status;
    };
    try {
      expect(await run("greet")).toBe("hello you");
      app.replaceFlows([flow("greet", "bonjour {{message}}"), flow("added", "new {{message}}")]);
      expect([await run("greet"), await run("added")]).toEqual(["bonjour you", "new you"]);
      expect(() => app.replaceFlows([flow("greet", "{{mesage}}")])).toThrow(FlowValidationError);
      expect(await run("greet")).toBe("bonjour you");
      app.replaceFlows([]);
      expect([await run("greet"), await run("hello")]).toEqual([404, 404]);
      expect(((await (await app.fetch(post("/seq/examples/demo/hello/execute", { message: "x" }))).json()) as { status: string }).status).toBe("completed");
    } finally {
      await app.close();
    }
  });

  it("lists the flows it serves at GET /api/v1/local/flows, to an accepted key, within the key's scope", async () => {
    const app = createServerApp({ flows: [flow("greet", "hi")], apiKeys: [{ key: "nk_local_dev" }, { key: "nk_scoped", org: "dev" }] });
    try {
      const all = (await (await app.fetch(call("/local/flows"))).json()) as { flows: { org: string; slug: string }[] };
      expect(all.flows.map((listed) => `${listed.org}/${listed.slug}`)).toEqual(expect.arrayContaining(["examples/hello", "dev/greet"]));
      expect(all.flows.find((listed) => listed.slug === "two-step")).toMatchObject({ project: "demo", versions: [1], production: 1, steps: 2 });
      const scoped = (await (await app.fetch(new Request("http://127.0.0.1/api/v1/local/flows", { headers: { authorization: "Bearer nk_scoped" } }))).json()) as { flows: unknown[] };
      expect(scoped.flows).toEqual([{ org: "dev", project: "local", slug: "greet", name: null, steps: 1, versions: [], production: null }]);
      expect((await app.fetch(new Request("http://127.0.0.1/api/v1/local/flows"))).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
