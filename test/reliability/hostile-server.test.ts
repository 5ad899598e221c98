import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_KINDS } from "../helpers/clients.js";
import { answerName, HOSTILE_ANSWERS } from "./hostile/catalogue.js";
import { tryHostileAnswer } from "./hostile/run-hostile-answers.js";
import { RawServer } from "./support/raw-server.js";

/**
 * A server of the test's own (raw `node:net`, on a worker thread) that
 * answers in every way a broken, hostile or merely unusual server can: each
 * answer gives the documented result, or a typed error with a readable
 * message, and never a hang, a crash or unbounded memory.
 */
let server: RawServer;
beforeAll(async () => {
  server = await RawServer.start(new URL("../helpers/responders/hostile.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
});

describe.each(CLIENT_KINDS)("%s against a hostile server", (kind) => {
  it.each(HOSTILE_ANSWERS.map((answer) => [answerName(answer), answer] as const))("%s", async (_name, answer) => {
    const result = await tryHostileAnswer(server, kind, answer);
    expect(result.problems).toEqual([]);
  });
});
