import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsyncNoukai } from "noukai";
import { createServerApp, FlowValidationError, startServer, type ServerOptions } from "noukai/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** `startServer` fails as its parts do: typed errors from its thread, and typos refused before it starts. */
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "noukai-start-"));
  await writeFile(join(dir, "bad.json"), JSON.stringify({ org: "a", project: "b", slug: "c", draft: { steps: [{ id: "x", template: 3, colour: 1 }] } }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const failureOf = (options: unknown) => startServer(options as ServerOptions).then(async (server) => {
  await server.close();
  return undefined;
}, (error: unknown) => error);

describe("startServer", () => {
  it("rejects a bad flow directory with a FlowValidationError carrying its problems", async () => {
    const error = await failureOf({ port: 0, flows: dir });
    expect(error).toBeInstanceOf(FlowValidationError);
    expect((error as FlowValidationError).problems).toContainEqual({ file: join(dir, "bad.json"), pointer: "/draft/steps/0/colour", message: "unknown field" });
  });

  it("keeps the code of a port already in use", async () => {
    const first = await startServer({ port: 0 });
    try {
      const error = await failureOf({ port: first.port });
      expect(error).toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await first.close();
    }
  });

  it("refuses an option it does not take, suggesting the one meant", async () => {
    await expect(failureOf({ flwos: dir })).resolves.toMatchObject({
      name: "RangeError",
      message: expect.stringMatching(/^startServer\(\) has no option "flwos" \(did you mean "flows"\?\); it takes flows, /) as string,
    });
    expect(() => createServerApp({ fautls: [] } as never)).toThrow(/createServerApp\(\) has no option "fautls" \(did you mean "faults"\?\)/);
  });

  it("takes fault rules in the --fault syntax, as the README shows", async () => {
    const server = await startServer({ port: 0, faults: ["execute:503:times=1"] });
    const client = new AsyncNoukai({ apiKey: "nk_faults", baseUrl: server.baseUrl, maxRetries: 0 });
    try {
      await expect(client.flow("examples/demo/hello").execute({ message: "x" })).rejects.toMatchObject({ statusCode: 503 });
      await expect(client.flow("examples/demo/hello").execute({ message: "x" })).resolves.toMatchObject({ status: "completed" });
      expect((await server.stats()).faults).toMatchObject({ status: 1 });
    } finally {
      await client.close();
      await server.close();
    }
    await expect(failureOf({ port: 0, faults: ["execute:teapot"] })).resolves.toMatchObject({ message: expect.stringContaining('unknown action "teapot"') as string });
  });
});
