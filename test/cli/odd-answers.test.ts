/**
 * Answers the command line reads that are not what it expects: not JSON,
 * the wrong shape, endless, or full of terminal controls. Each ends in one
 * typed line and the same exit code whatever the output is connected to, or
 * is shown as it is, escaped; the command never crashes, and a key the server
 * echoes never shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingServer } from "../helpers/recording-server.js";
import { SESSION } from "./responders/odd-answers.js";
import { at, cli } from "./helpers.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await RecordingServer.start(new URL("./responders/odd-answers.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
});

const RUN = "11111111-2222-4333-8444-555555555555";

/** One line on stderr, as every failure reads; no stack. */
function oneLine(stderr: string): void {
  expect(stderr.split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/unexpected error|\n\s+at /);
}

describe("noukai flows, on an answer it cannot use", () => {
  it("refuses a body that is not JSON, or flows of the wrong shape, as INVALID_RESPONSE: one line, exit 6", async () => {
    for (const [responder, said] of [
      ["notJson", "not JSON"],
      ["flowsOfNulls", "flow 1 is not an object"],
      ["flowsOfOddVersions", "flow 1 has no list of version numbers"],
    ] as const) {
      await server.respond(responder);
      for (const isTTY of [false, true]) {
        const listed = await cli(["flows", ...at(server.baseUrl)], { isTTY });
        expect(listed.code).toBe(6);
        expect(listed.stderr).toMatch(/^noukai: FlowExecutionError \(INVALID_RESPONSE\): /);
        expect(listed.stderr).toContain(said);
        oneLine(listed.stderr);
      }
    }
  });

  it("abandons a body that never ends at the client's size cap: RESPONSE_TOO_LARGE, exit 7", async () => {
    await server.respond("endless");
    const listed = await cli(["flows", ...at(server.baseUrl)]);
    expect(listed.code).toBe(7);
    expect(listed.stderr).toMatch(/^noukai: APIConnectionError \(RESPONSE_TOO_LARGE\)/);
    oneLine(listed.stderr);
  });

  it("names where a redirect pointed, as every other command does", async () => {
    await server.respond("moved");
    const listed = await cli(["flows", ...at(server.baseUrl)]);
    expect(listed.stderr).toContain("https://elsewhere.example/api/v1/local/flows");
    oneLine(listed.stderr);
    const traced = await cli(["trace", "o/p/s", RUN, ...at(server.baseUrl)]);
    expect(listed.code).toBe(traced.code);
  });

  it("masks a key the server echoes, even one whose characters JSON escapes", async () => {
    await server.respond("echoKey");
    for (const key of ['nk_quote"d', "nk_back\\slash"]) {
      const listed = await cli(["flows", "--json", ...at(server.baseUrl, key)]);
      expect(listed.code).toBe(0);
      expect(listed.stdout).not.toContain(key);
      expect(listed.stdout).not.toContain(JSON.stringify(key).slice(1, -1));
      expect(listed.stdout).toContain("[redacted]");
    }
  });
});

describe("the printers, on answers of the wrong shape", () => {
  it("refuse a trace without its run or its steps, and a step trace whose attempts are not a list: exit 6, terminal or pipe", async () => {
    for (const [responder, args, said] of [
      ["emptyTrace", [], "its flowRun is not an object"],
      ["traceOfNullSteps", [], "its steps is not a list"],
      ["attemptsOfNull", ["--step", "x", "--attempt", "all"], "its attempts is not a list"],
    ] as const) {
      await server.respond(responder);
      for (const isTTY of [false, true]) {
        const traced = await cli(["trace", "o/p/s", RUN, ...args, ...at(server.baseUrl)], { isTTY });
        expect(traced.code).toBe(6);
        expect(traced.stderr).toMatch(/^noukai: FlowExecutionError \(INVALID_RESPONSE\): The server's answer to the (step )?trace cannot be read: /);
        expect(traced.stderr).toContain(said);
        oneLine(traced.stderr);
      }
    }
  });

  it("show an odd field as it is: an object step id as JSON, a null token count as nothing, a number cost as written", async () => {
    await server.respond("traceOfOddFields");
    const traced = await cli(["trace", "o/p/s", RUN, ...at(server.baseUrl)]);
    expect(traced.code).toBe(0);
    expect(traced.out.at(-1)).toMatch(/^\{"a":1\}\s+1\s+-\s+completed\s+\$0\.5$/);
  });

  it("show a session step whose error message is an object, as JSON", async () => {
    await server.respond("oddSession");
    const shown = await cli(["sessions", "show", SESSION, ...at(server.baseUrl)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/ {2}s\s+failed\s+\{"detail":"x"\}/);
  });

  it("run a step reporting null tokens to the same end on a terminal as in a pipe", async () => {
    for (const isTTY of [false, true]) {
      await server.respond("runOfOddStep");
      const ran = await cli(["run", "o/p/s", "-m", "x", ...at(server.baseUrl)], { isTTY });
      expect(ran).toMatchObject({ code: 0, err: [] });
      expect(ran.out.at(-1)).toBe("done");
    }
  });
});

describe("what a server sent, on a terminal", () => {
  const escaped = "\\x1b]0;pwned\\x07\\x1b[32m\\u202e";
  const raw = (text: string) => /[\u001b\u0007\u009b\u202e]/.test(text);

  it("is escaped in trace's summary line and --step heading, with the command's own colours kept", async () => {
    await server.respond("traceOfOddFields");
    const traced = await cli(["trace", "o/p/s", RUN, ...at(server.baseUrl)], { isTTY: true, color: true });
    // The status's yellow is the command's own; the server's green is shown, not obeyed.
    expect(raw(traced.stdout.replace(/\u001b\[(?:33|39)m/g, ""))).toBe(false);
    expect(traced.out[0]).toContain(`run run${escaped}`);
    expect(traced.out[0]).toContain("\u001b[33m");
    await server.respond("stepTraceOfHostileId");
    const step = await cli(["trace", "o/p/s", RUN, "--step", "x", ...at(server.baseUrl)], { isTTY: true });
    expect(step.out[0]).toBe(`step x${escaped}: 1 attempt shown`);
  });

  it("is escaped in job submit's id and job status's lines; the printed follow-up command is shell-quoted", async () => {
    await server.respond("jobWithHostileId");
    const submitted = await cli(["job", "submit", "o/p/s", "-m", "x", ...at(server.baseUrl)], { isTTY: true });
    expect(submitted.code).toBe(0);
    expect(raw(submitted.stdout)).toBe(false);
    expect(submitted.out[1]).toBe(`wait for it: noukai job wait o/p/s 'exec-1; rm -rf ~${escaped}' --base-url ${server.baseUrl}`);
    await server.respond("jobStatusHostile");
    const status = await cli(["job", "status", "o/p/s", "exec-1", ...at(server.baseUrl)], { isTTY: true });
    expect(status.out).toEqual([`failed${escaped}`, `error: boom${escaped}`]);
  });

  it("is escaped in sessions show's session, run header fields and sessions pull's summary line", async () => {
    await server.respond("oddSession");
    const shown = await cli(["sessions", "show", SESSION, ...at(server.baseUrl)], { isTTY: true });
    expect(raw(shown.stdout)).toBe(false);
    expect(shown.out[0]).toBe(`session ${SESSION}${escaped}: 1 run(s)`);
    expect(shown.out[2]).toBe(`api${escaped} slug${escaped}  failed${escaped}  exec${escaped}`);
  });

  it("is escaped in a run's step line (its cost), and NDJSON stays JSON of the same value", async () => {
    await server.respond("runOfOddStep");
    const ran = await cli(["run", "o/p/s", "-m", "x", ...at(server.baseUrl)], { isTTY: true });
    expect(raw(ran.stdout)).toBe(false);
    expect(ran.stdout).toContain(`$0.1${escaped}`);
    await server.respond("eventsWithControls");
    const events = await cli(["events", "o/p/s", "-m", "x", ...at(server.baseUrl)], { isTTY: true });
    expect(raw(events.stdout)).toBe(false);
    expect(JSON.parse(events.out.at(-1) ?? "")).toMatchObject({ result: "a\u009b2Jb\u202ec" });
  });

  it("is escaped on stderr, a colour too, wherever stderr goes", async () => {
    await server.respond("refuseHostile");
    const refused = await cli(["trace", "o/p/s", RUN, ...at(server.baseUrl)]);
    expect(refused.code).toBe(4);
    expect(raw(refused.stderr)).toBe(false);
    expect(refused.stderr).toContain(`no such flow${escaped}`);
  });

  it("passes as it is in a pipe", async () => {
    await server.respond("eventsWithControls");
    const events = await cli(["events", "o/p/s", "-m", "x", ...at(server.baseUrl)]);
    expect(events.out.at(-1)).toContain("a\u009b2Jb\u202ec");
  });
});
