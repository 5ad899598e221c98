import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS } from "../helpers/clients.js";
import { RecordingServer } from "../helpers/recording-server.js";
import { BAD_INPUTS } from "./bad-input/catalogue.js";
import { tryBadInput } from "./bad-input/run-bad-inputs.js";

/**
 * Bad input from the caller fails before any request, with a ValueError or
 * TypeError that names the argument: proven by a recording server that saw
 * nothing, and an `onLog` that heard nothing.
 */
let server: RecordingServer;
beforeAll(async () => {
  server = await RecordingServer.start(new URL("../helpers/responders/defects.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
});

describe.each(CLIENT_KINDS)("%s refuses bad input before any request", (kind) => {
  const cases = BAD_INPUTS.filter((bad) => bad.kinds === undefined || bad.kinds.includes(kind));
  it.each(cases.map((bad) => [bad.input, bad] as const))("%s", async (_input, bad) => {
    const result = await tryBadInput(server, kind, bad);
    expect(result.problems).toEqual([]);
  });
});
