import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS } from "../helpers/clients.js";
import { keyInPublicObjects } from "./secrets/public-objects.js";
import { closeSharedServer, runSecretScenario, SECRET, sharedServer } from "./secrets/run-secrets.js";
import { ERROR_PATHS, OPERATIONS } from "./secrets/scenarios.js";
import { RawServer } from "./support/raw-server.js";

/**
 * The API key never leaves the Authorization header: not into a log event
 * (even with `logPayloads: true`), an error's message, stack, properties,
 * cause, headers or body, nor their JSON or `util.inspect` forms, even when
 * a hostile server sends it back in every place an answer has.
 */
let echo: RawServer;
beforeAll(async () => {
  echo = await RawServer.start(new URL("../helpers/responders/echo-secret.ts", import.meta.url));
});
afterAll(async () => {
  await echo.close();
  await closeSharedServer();
});

describe.each(CLIENT_KINDS)("%s never shows the API key", (kind) => {
  it("in no object a caller can hold, walked while live (flow, job, run, paused result, open stream, event, error)", async () => {
    expect(await keyInPublicObjects(kind, (await sharedServer()).baseUrl, SECRET)).toEqual([]);
  });

  it.each(OPERATIONS.map((scenario) => [scenario.name, scenario] as const))("operation: %s", async (_name, scenario) => {
    const result = await runSecretScenario(kind, scenario, echo);
    expect(result.leaks).toEqual([]);
    expect(result.logEvents).toBeGreaterThan(0);
    expect(result.outcome).toBe("value");
  });

  it.each(ERROR_PATHS.map((scenario, index) => [`${scenario.name} #${index}`, scenario] as const))("error path: %s", async (_name, scenario) => {
    const result = await runSecretScenario(kind, scenario, echo);
    expect(result.leaks).toEqual([]);
  });
});
