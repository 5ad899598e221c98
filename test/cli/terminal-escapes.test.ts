/**
 * What servers send (step names, results, error messages) is shown on a
 * terminal with its control characters written out as escapes, never obeyed:
 * a model's output or a hostile server must not retitle the window, write
 * the clipboard or draw over the command's own lines. In a pipe, a result is
 * data and passes as it is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordingServer } from "../helpers/recording-server.js";
import { RESULT } from "../helpers/responders/terminal-escapes.js";
import { at, cli } from "./helpers.js";

let server: RecordingServer;
beforeAll(async () => {
  server = await RecordingServer.start(new URL("../helpers/responders/terminal-escapes.ts", import.meta.url));
});
afterAll(async () => {
  await server.close();
});

describe("noukai and terminal escapes from a server", () => {
  it("shows a step's name and the result with their control characters escaped, on a terminal", async () => {
    await server.respond("run");
    const shown = await cli(["run", "o/p/s", "-m", "x", ...at(server.baseUrl)], { isTTY: true });
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain("\u001b");
    expect(shown.stdout).toContain("1. \\x1b]0;pwned\\x07Plan");
    // Line breaks and tabs stay; a CRLF is a line break.
    expect(shown.out.at(-1)).toBe("Done\\x1b]52;c;ZXZpbA==\\x07\nnext\tline\\x1b[2K\\u202e");
  });

  it("passes the result as it is in a pipe", async () => {
    await server.respond("run");
    const piped = await cli(["run", "o/p/s", "-m", "x", ...at(server.baseUrl)]);
    expect(piped).toMatchObject({ code: 0, stdout: RESULT });
  });

  it("shows an error's message with its control characters escaped, on stderr", async () => {
    await server.respond("refusal");
    const refused = await cli(["run", "o/p/s", "-m", "x", ...at(server.baseUrl)]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).not.toContain("\u001b");
    expect(refused.stderr).toContain("no\\x1b[2J\\x1b[Hsuch flow");
  });
});
