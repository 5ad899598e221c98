import type { ListeningServer } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, serve, KEY } from "./served.js";

/**
 * Rule: an Idempotency-Key is scoped to the route as the router understood it
 * (action, decoded org/project/slug, version), never to the spelling of the
 * path, so no spelling of one route runs a flow a second time.
 */
describe("Idempotency-Key scope", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    server = await serve({ flows: [{ org: "caf\u00e9", project: "p", slug: "s", draft: { steps: [{ id: "a" }] } }] });
  });
  afterAll(() => server.close());

  const send = (path: string, key: string) =>
    rawRequest(server.port, `/api/v1/seq/${path}`, {
      body: '{"message":"once"}',
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "idempotency-key": key },
    });

  it.each([
    ["a percent-encoded letter", "examples/demo/slow/execute", ["examples/demo/%73low/execute", "%65xamples/%64emo/slow/execute"]],
    ["an encoded and a raw non-ASCII name", "caf%C3%A9/p/s/execute", ["caf%c3%a9/p/s/execute", "caf%C3%A9/%70/%73/execute"]],
    ["the same on /jobs", "examples/demo/hello/jobs", ["examples/demo/hell%6F/jobs"]],
    ["the same on a version", "examples/demo/two-step/v1/execute", ["examples/demo/two%2Dstep/v1/execute"]],
  ])("runs once for every spelling of one route: %s", async (_what, first, others) => {
    const key = `k-${first}`;
    const original = await send(first, key);
    expect(original.status).toBeLessThan(300);
    for (const path of others) {
      const repeat = await send(path, key);
      expect(repeat.headers["idempotent-replayed"]).toBe("true");
      expect(repeat.text).toBe(original.text);
    }
  });

  it("keeps distinct routes distinct: another action, version or flow runs on its own", async () => {
    const key = "k-distinct";
    const answers = await Promise.all(["examples/demo/two-step/execute", "examples/demo/two-step/v0/execute", "examples/demo/two-step/jobs", "examples/demo/hello/execute"].map((path) => send(path, key)));
    for (const answer of answers) expect(answer.headers["idempotent-replayed"]).toBeUndefined();
    expect(new Set(answers.map((answer) => answer.json.executionId as string)).size).toBe(4);
  });
});
