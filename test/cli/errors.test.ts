import { startServer } from "noukai/server";
import { describe, expect, it } from "vitest";
import { useLocalServer } from "../helpers/local-server.js";
import { at, cli, KEY } from "./helpers.js";

/**
 * What a user sees when a call fails: one line on stderr naming the error
 * class, its code and the request id, and an exit code per class.
 */
const open = useLocalServer();
const locked = useLocalServer({ apiKeys: [{ key: KEY }, { key: "nk_other_org", org: "elsewhere" }] });
const faulty = useLocalServer({
  faults: [
    { route: "execute", status: 429, retryAfter: 0 },
    { route: "jobs", status: 503 },
    { route: "trace", latencyMs: 3_000 },
  ],
});

const REQUEST = "request req_[0-9a-f]+";

describe("noukai errors", () => {
  it("authentication and permission: exit 3", async () => {
    const missing = await cli(["run", "examples/demo/hello", "-m", "x", "--base-url", open.baseUrl]);
    const host = new URL(open.baseUrl).host;
    expect(missing).toMatchObject({
      code: 3,
      err: [`noukai: AuthenticationError (MISSING_API_KEY): no API key for ${host}; run noukai login --base-url ${open.baseUrl}, pass --api-key, or set NOUKAI_API_KEY`],
    });
    const malformed = await cli(["run", "examples/demo/hello", "-m", "x", ...at(open.baseUrl, "sk_not_noukai")]);
    expect(malformed).toMatchObject({ code: 3, err: ['noukai: AuthenticationError (INVALID_API_KEY): The API key must start with "nk_".'] });
    const refused = await cli(["run", "examples/demo/hello", "-m", "x", ...at(locked.baseUrl, "nk_unknown")]);
    expect(refused.code).toBe(3);
    expect(refused.err).toEqual([expect.stringMatching(new RegExp(`^noukai: AuthenticationError \\(UNAUTHENTICATED, ${REQUEST}\\): HTTP 401 `)) as string]);
    const forbidden = await cli(["run", "examples/demo/hello", "-m", "x", ...at(locked.baseUrl, "nk_other_org")]);
    expect(forbidden.code).toBe(3);
    expect(forbidden.err).toEqual([expect.stringMatching(new RegExp(`^noukai: PermissionDeniedError \\(\\w+, ${REQUEST}\\): HTTP 403 `)) as string]);
  });

  it("not found: exit 4", async () => {
    const run = await cli(["run", "examples/demo/nope", "-m", "x", ...at(open.baseUrl)]);
    expect(run).toMatchObject({ code: 4, stdout: "" });
    expect(run.err).toEqual([expect.stringMatching(new RegExp(`^noukai: FlowNotFoundError \\(FLOW_NOT_FOUND, ${REQUEST}\\): HTTP 404 FLOW_NOT_FOUND: flow examples/demo/nope not found$`)) as string]);
  });

  it("rate limited (after the client's retry): exit 5, with the Retry-After", async () => {
    // A draft runs in one call (execute), where the fault is.
    const run = await cli(["run", "examples/demo/hello", "-m", "x", "--version", "draft", ...at(faulty.baseUrl)]);
    expect(run.code).toBe(5);
    expect(run.err).toEqual([expect.stringMatching(new RegExp(`^noukai: RateLimitError \\(\\w+, ${REQUEST}\\): HTTP 429 .*\\(retry after 0 s\\)$`)) as string]);
  });

  it("a server error (after the client's retry): exit 6", async () => {
    const run = await cli(["job", "submit", "examples/demo/hello", "-m", "x", ...at(faulty.baseUrl)]);
    expect(run.code).toBe(6);
    expect(run.err).toEqual([expect.stringMatching(new RegExp(`^noukai: InternalServerError \\(\\w+, ${REQUEST}\\): HTTP 503 `)) as string]);
  });

  it("no server there: exit 7", async () => {
    const gone = await startServer({ port: 0 });
    await gone.close();
    const run = await cli(["run", "examples/demo/hello", "-m", "x", ...at(gone.baseUrl)]);
    expect(run).toMatchObject({
      code: 7,
      err: [
        `noukai: APIConnectionError (ECONNREFUSED): POST /seq/examples/demo/hello/step failed before any response arrived (ECONNREFUSED); cannot reach ${new URL(gone.baseUrl).host}: nothing listens there; is noukai dev running on ${new URL(gone.baseUrl).host}? Start it with: noukai dev --port ${new URL(gone.baseUrl).port}`,
      ],
    });
  });

  it("a timeout (--timeout, in seconds): exit 7", async () => {
    const run = await cli(["trace", "examples/demo/hello", "00000000-0000-4000-8000-000000000000", "--timeout", "0.2", ...at(faulty.baseUrl)]);
    expect(run.code).toBe(7);
    expect(run.err).toEqual([expect.stringMatching(/^noukai: APITimeoutError \(TIMEOUT\): GET \/seq\/examples\/demo\/hello\/runs\/0{8}-[-0-9]+\/trace timed out after 200 ms/) as string]);
  });

  it.each([
    [["launch"], /^noukai: unknown command launch \(see noukai --help\)$/],
    [["runn", "a/b/c"], /^noukai: unknown command runn \(did you mean run\?\) \(see noukai --help\)$/],
    [["--verison"], /^noukai: unknown flag --verison \(did you mean --version\?\)/],
    [["run"], /^noukai: missing <org\/project\/slug> \(see noukai run --help\)$/],
    [["run", "hello"], /^noukai: a flow is named org\/project\/slug \(e\.g\. examples\/demo\/hello\), got "hello"$/],
    [["run", "a/b/c", "extra"], /^noukai: unexpected argument "extra"/],
    [["run", "a/b/c", "--nope"], /^noukai: unknown flag --nope \(see noukai run --help\)$/],
    [["run", "a/b/c", "--mesage", "hi"], /^noukai: unknown flag --mesage \(did you mean --message\?\) \(see noukai run --help\)$/],
    [["run", "a/b/c", "--mesage=hi"], /^noukai: unknown flag --mesage \(did you mean --message\?\)/],
    [["run", "a/b/c", "-m"], /^noukai: -m needs a value \(see noukai run --help\)$/],
    [["run", "a/b/c", "-m", "--json"], /^noukai: -m needs a value/],
    [["run", "a/b/c", "--json=yes", "-m", "x"], /^noukai: --json takes no value, got "yes"/],
    [["run", "a/b/c", "-m", "x", "--timeout", "-1"], /^noukai: --timeout must be/],
    [["run", "a/b/c"], /^noukai: noukai run needs the run's input: -m TEXT or --messages FILE/],
    [["events", "a/b/c"], /^noukai: noukai events needs the run's input/],
    [["job", "submit", "a/b/c"], /^noukai: noukai job submit needs the run's input/],
    [["job", "sumbit", "a/b/c"], /^noukai: noukai job has no action "sumbit" \(did you mean submit\?\)/],
    [["run", "a/b/c", "-m", "x", "--base-url", "http://localhost:8080"], /^noukai: --base-url http:\/\/localhost:8080: the base URL should end in \/api\/v1 \(did you mean http:\/\/localhost:8080\/api\/v1\?\)$/],
    [["run", "a/b/c", "-m", "x", "--messages", "f.json"], /^noukai: pass --message or --messages, not both$/],
    [["run", "a/b/c", "--messages", "/nonexistent/conversation.json"], /^noukai: cannot read --messages \/nonexistent\/conversation\.json: ENOENT$/],
    [["run", "a/b/c", "--param", "novalue"], /expected KEY=VALUE or KEY:=JSON/],
    [["run", "a/b/c", "--param", "n:={oops"], /--param n:= needs JSON/],
    [["run", "a/b/c", "--version", "latest"], /--version must be production, draft or a version number/],
    [["run", "a/b/c", "--timeout", "soon", "-m", "x"], /--timeout must be a positive number of seconds/],
    [["run", "a/b/c", "--timeout", "1e-9", "-m", "x"], /--timeout must be a positive number of seconds in digits \(30, 0\.5\), got "1e-9"/],
    [["run", "a/b/c", "--dev", "--base-url", "http://localhost:1/api/v1", "-m", "x"], /--dev and --base-url name two different servers/],
    [["run", "a/b/c", "--base-url", "http://example.com/api/v1", "-m", "x"], /^noukai: --base-url: baseUrl uses http: to example\.com/],
    [["run", "a/b/ c", "-m", "x"], /^noukai: ValueError: slug/],
    [["--api-key", "nk_x", "dev"], /--api-key is a client flag; noukai dev takes its own/],
  ])("usage errors exit 2 before any request: %j", async (argv, message) => {
    const run = await cli([...argv, "--api-key", KEY]);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([expect.stringMatching(message) as string]);
  });

  it("a connection flag before the command needs its value", async () => {
    expect(await cli(["--timeout"])).toMatchObject({ code: 2, err: ["noukai: --timeout needs a value (see noukai --help)"] });
  });
});
