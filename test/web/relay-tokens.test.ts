import { randomUUID } from "node:crypto";
import { createRelayFlow, RelayTokenError } from "noukai/relay";
import { describe, expect, it } from "vitest";
import { codeOf, flipCharacter, pausedStream, pausedWhole, post, results, useRelays } from "./support/relay-http.js";
import { SECRET, sessionRuns, useRelayService } from "./support/relay-service.js";

/**
 * Attacks on the sealed paused state, as a hostile page would make them:
 * every refused token resumes nothing, which the local server's own records
 * (the runs of the relay's session, its request counters) show.
 */
const service = useRelayService();
const relayFor = useRelays(service);

/** The service's counters of run-moving requests: a refused token must not move any of them. */
async function runRequests(): Promise<number> {
  const { requests } = await service.server.stats();
  return (requests["execute"] ?? 0) + (requests["step"] ?? 0);
}

async function expectStillPaused(sessionId: string): Promise<void> {
  expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["running"]);
}

describe("a token the browser altered", () => {
  it.each([
    ["the format's prefix", 2],
    ["the nonce (IV)", 8],
    ["the sealed state", 200],
    ["the authentication tag", -3],
    ["the last character", -1],
  ])("is refused when a byte of %s is flipped, and nothing resumes", async (_part, index) => {
    const { url, sessionId } = await relayFor();
    const { token, callId } = await pausedWhole(url);
    const before = await runRequests();
    const answer = await post(url, { token: flipCharacter(token, index), toolResults: results(callId) });
    expect([answer.status, codeOf(answer)]).toEqual([400, "RELAY_TOKEN_INVALID"]);
    expect(await runRequests()).toBe(before);
    await expectStillPaused(sessionId);
    // The genuine token still works: the failed attempt spent nothing.
    expect((await post(url, { token, toolResults: results(callId) })).json).toMatchObject({ status: "completed" });
  });

  it.each([
    ["cut short", (token: string) => token.slice(0, 40)],
    ["empty after its prefix", () => "nkr1."],
    ["not base64url", (token: string) => `${token.slice(0, 20)}!!${token.slice(22)}`],
    ["of another format", (token: string) => token.replace("nkr1.", "nkr2.")],
    ["made up", () => `nkr1.${"A".repeat(120)}`],
    ["a JSON state instead of a token", () => JSON.stringify({ executionId: "x", pausedAtStep: "forecast", iterationsUsed: 0 })],
  ])("is refused when it is %s", async (_what, forge) => {
    const { url, sessionId } = await relayFor();
    const { token, callId } = await pausedWhole(url);
    const answer = await post(url, { token: forge(token), toolResults: results(callId) });
    expect([answer.status, codeOf(answer)]).toEqual([400, "RELAY_TOKEN_INVALID"]);
    await expectStillPaused(sessionId);
  });

  it("is refused on a stream too, and the held run stays resumable", async () => {
    const { url, sessionId } = await relayFor();
    const { token, callId } = await pausedStream(url);
    const answer = await post(url, { token: flipCharacter(token, 100), toolResults: results(callId) }, { stream: true });
    expect([answer.status, codeOf(answer)]).toEqual([400, "RELAY_TOKEN_INVALID"]);
    await expectStillPaused(sessionId);
    const resumed = await post(url, { token, toolResults: results(callId) }, { stream: true });
    expect(resumed.text).toContain("event: flow_completed");
  });
});

describe("a token used where it does not belong", () => {
  it("is refused by a relay with another secret (INVALID)", async () => {
    const sessionId = randomUUID();
    const first = await relayFor({}, sessionId);
    const other = await relayFor({ secret: `${SECRET}-rotated` });
    const { token, callId } = await pausedWhole(first.url);
    expect(codeOf(await post(other.url, { token, toolResults: results(callId) }))).toBe("RELAY_TOKEN_INVALID");
    await expectStillPaused(sessionId);
  });

  it("is refused by a relay of another flow, or of another version of the same flow (FOREIGN)", async () => {
    const weather = await relayFor();
    const otherFlow = await relayFor({ flow: "tests/contract/three-rounds", version: "draft" });
    const otherVersion = await relayFor({ version: "draft" });
    const { token, callId } = await pausedWhole(weather.url);
    for (const relay of [otherFlow, otherVersion]) {
      const answer = await post(relay.url, { token, toolResults: results(callId) });
      expect([answer.status, codeOf(answer)]).toEqual([400, "RELAY_TOKEN_FOREIGN"]);
    }
    await expectStillPaused(weather.sessionId);
  });

  it("is refused on the other kind of run: a stream's token on a whole answer, and the reverse (MODE)", async () => {
    const { url, sessionId } = await relayFor();
    const whole = await pausedWhole(url);
    const streamed = await pausedStream(url);
    expect(codeOf(await post(url, { token: streamed.token, toolResults: results(streamed.callId) }))).toBe("RELAY_TOKEN_MODE");
    expect(codeOf(await post(url, { token: whole.token, toolResults: results(whole.callId) }, { stream: true }))).toBe("RELAY_TOKEN_MODE");
    expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["running", "running"]);
  });

  it("resumes only the execution it was issued for: the browser cannot name another", async () => {
    const { url, sessionId } = await relayFor();
    const first = await pausedWhole(url, "Weather in Oslo");
    await pausedWhole(url, "Weather in Rome");
    const answer = await post(url, { token: first.token, toolResults: results(first.callId, "snow") });
    expect(answer.json).toMatchObject({ status: "completed", result: "Weather in Oslo: snow" });
    const runs = await sessionRuns(service.client(), sessionId);
    expect(runs.map((run) => run.status)).toEqual(["completed", "running"]);
    expect(answer.json["executionId"]).toBe(runs[0]?.executionId);
  });
});

describe("a token used again, or too late", () => {
  it("is refused once expired (EXPIRED), and nothing resumes", async () => {
    const { url, sessionId } = await relayFor({ tokenTtlMs: 100 });
    const { token, callId } = await pausedWhole(url);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const answer = await post(url, { token, toolResults: results(callId) });
    expect([answer.status, codeOf(answer)]).toEqual([410, "RELAY_TOKEN_EXPIRED"]);
    await expectStillPaused(sessionId);
  });

  it("is refused when replayed after the run completed (USED), and the browser client says so with RelayTokenError", async () => {
    const { url, sessionId } = await relayFor();
    const { token, callId } = await pausedWhole(url);
    expect((await post(url, { token, toolResults: results(callId) })).json).toMatchObject({ status: "completed" });
    const before = await runRequests();
    const replay = await post(url, { token, toolResults: results(callId, "forged") });
    expect([replay.status, codeOf(replay)]).toEqual([409, "RELAY_TOKEN_USED"]);
    const error = await createRelayFlow({ url }).resume({ status: "tool_calls_required", token, toolCalls: [{ id: callId, type: "function", function: { name: "get_weather", arguments: "{}" } }], expiresAt: "" }, { toolResults: results(callId) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RelayTokenError);
    expect(error).toMatchObject({ code: "RELAY_TOKEN_USED", statusCode: 409 });
    expect(await runRequests()).toBe(before);
    expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["completed"]);
  });

  it("is accepted once when sent twice at once", async () => {
    const { url } = await relayFor();
    const { token, callId } = await pausedWhole(url);
    const answers = await Promise.all([post(url, { token, toolResults: results(callId) }), post(url, { token, toolResults: results(callId) })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
  });

  it("replayed to a relay that never saw it used (a restart, another instance) resumes nothing: the service refuses the finished run", async () => {
    const sessionId = randomUUID();
    const first = await relayFor({}, sessionId);
    const { token, callId } = await pausedWhole(first.url);
    expect((await post(first.url, { token, toolResults: results(callId) })).json).toMatchObject({ status: "completed" });
    const restarted = await relayFor({}, sessionId);
    const replay = await post(restarted.url, { token, toolResults: results(callId, "forged") });
    expect([replay.status, codeOf(replay)]).toEqual([400, "EXECUTION_ID_INVALID"]);
    expect((await sessionRuns(service.client(), sessionId)).map((run) => run.status)).toEqual(["completed"]);
  });

  it("of a stream is refused once used, and after a restart the held run is gone (UNKNOWN)", async () => {
    const sessionId = randomUUID();
    const first = await relayFor({}, sessionId);
    const used = await pausedStream(first.url);
    expect((await post(first.url, { token: used.token, toolResults: results(used.callId) }, { stream: true })).text).toContain("flow_completed");
    expect(codeOf(await post(first.url, { token: used.token, toolResults: results(used.callId) }, { stream: true }))).toBe("RELAY_TOKEN_USED");
    const held = await pausedStream(first.url);
    const restarted = await relayFor({}, sessionId);
    const answer = await post(restarted.url, { token: held.token, toolResults: results(held.callId) }, { stream: true });
    expect([answer.status, codeOf(answer)]).toEqual([410, "RELAY_TOKEN_UNKNOWN"]);
  });

  it("of a stream the relay let go (past maxPausedStreams) is UNKNOWN, and its run's request was ended", async () => {
    const { url } = await relayFor({ maxPausedStreams: 1 });
    const oldest = await pausedStream(url, "Weather in Oslo");
    const newest = await pausedStream(url, "Weather in Rome");
    expect(codeOf(await post(url, { token: oldest.token, toolResults: results(oldest.callId) }, { stream: true }))).toBe("RELAY_TOKEN_UNKNOWN");
    expect((await post(url, { token: newest.token, toolResults: results(newest.callId) }, { stream: true })).text).toContain("Weather in Rome: sunny");
  });

  it("can be tried again with corrected tool results: a refused resume spends nothing", async () => {
    const { url } = await relayFor();
    const { token, callId } = await pausedWhole(url);
    const wrong = await post(url, { token, toolResults: results("call_that_was_never_made") });
    expect([wrong.status, codeOf(wrong)]).toEqual([400, "INVALID_INPUT"]);
    expect((await post(url, { token, toolResults: results(callId) })).json).toMatchObject({ status: "completed" });
  });
});
