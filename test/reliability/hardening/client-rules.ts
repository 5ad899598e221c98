import type { HardeningRow } from "./row.js";

/** The clients' half of the hardening table in RELIABILITY.md: each attack, the rule that stops it, the test that proves it. */
export const CLIENT_RULES: HardeningRow[] = [
  {
    finding: "An endless 200 body grew the caller's memory about 450 MB/s; past 512 MiB the call never settled, even with timeout, an abort or close()",
    rule: "A successful answer is read up to maxResponseBytes (32 MiB), then RESPONSE_TOO_LARGE and what arrived is dropped; the settle path cannot be skipped by a throw",
    test: "test/reliability/hostile-server.test.ts › endlessSuccess, fiftyMegabyteSuccess (child process, peak memory < 64 MB)",
  },
  {
    finding: "A body dripped one byte per second kept execute({ timeout: 2000 }) running indefinitely",
    rule: "timeout bounds a whole answer from sending to its last byte (one timer, never refreshed by arriving bytes)",
    test: "test/reliability/hostile-server.test.ts › drippedSuccess (ends within 2.5 s for a 1 s timeout)",
  },
  {
    finding: "Streams had no bound on their whole length, only on silence",
    rule: "totalTimeout (per stream call) bounds steps(), events() and liveTrace() across their requests (TOTAL_TIMEOUT)",
    test: "test/contract/streams.test.ts › ends a stream that outlasts its totalTimeout",
  },
  {
    finding: "The key was reachable from flow, job and run objects (flow.context.config.baseHeaders.authorization), and from an open stream's ClientRequest",
    rule: "The key lives in a private field of Credentials; every client, driver and transport object keeps its state in #private fields",
    test: "test/reliability/secrets.test.ts › in no object a caller can hold, walked while live",
  },
  {
    finding: "SSE event names inherited from Object.prototype (constructor, __proto__, hasOwnProperty) were yielded with type set to a function or object",
    rule: "Every name that comes from the wire or the caller is looked up in a Map or with Object.hasOwn (event names, env); copies keep a __proto__ key as a key",
    test: "test/reliability/hostile-server.test.ts › prototypeEventNames; test/unit/decode-event.test.ts; test/unit/redact.test.ts; bad-input env \"constructor\"",
  },
  {
    finding: "A key containing U+200B passed the constructor; execute() then failed as a retryable connection error and events() threw an untyped TypeError",
    rule: "Whatever becomes a header is checked at the call: the key is nk_ and visible ASCII, a sessionId what a header carries; the error names the character and its position",
    test: "test/reliability/bad-input.test.ts › apiKey with a zero-width space, a space, a non-ASCII letter; sessionId with a zero-width space",
  },
  {
    finding: "http://*.localhost was accepted as loopback but resolved through DNS, so a hostile resolver could receive the key over clear-text HTTP",
    rule: "http: is allowed to localhost, 127.x.x.x and [::1] only; names under .localhost are refused with the reason",
    test: "test/reliability/bad-input.test.ts › baseUrl http: to a name under .localhost",
  },
  {
    finding: "(found while attacking the fix) A server that answers every /step with step_paused, completing nothing, made steps() and events() ask again forever: the tight loop the official client has on cut streams",
    rule: "A /step stream that pauses must have completed a step; one that did not is INVALID_EVENT and the run is not asked again",
    test: "test/reliability/hostile-server.test.ts › pausesWithoutProgress (exactly 1 request)",
  },
  {
    finding: "The blocking client cannot honour AbortSignal.timeout() while it blocks, and the README did not say so",
    rule: "Documented (README, Timeouts, limits and the key): use timeout and totalTimeout, which the I/O thread enforces",
    test: "README",
  },
  {
    finding: "A caller's value nested 5,000 levels deep, or a server's answer nested 100,000 levels deep (with a backslash in it, so that the key's scrub walked it), ended in a raw RangeError from the stack; an event that deep was reported as not JSON",
    rule: "JSON is measured where it comes in, without recursion: a caller's values up to 1,000 levels (deeper: TypeError naming the option, before any request), answers and events up to 2,000 (deeper: INVALID_RESPONSE or INVALID_EVENT; an error body that deep is read as text, its status kept), cassettes on loading; the key's scrub and the redact paths walk without recursion",
    test: "test/contract/deep-json.test.ts (both clients; at the limit through the scrub, logged payloads, spans, a cassette recorded and replayed); test/unit/redact.test.ts and redact-paths.test.ts (100,000 levels); test/contract/replay-errors.test.ts › refuses a cassette nested deeper than the client reads",
  },
  {
    finding: "noukai run --messages FILE holding [\"hi\"], or a conversation nested too deep, printed 'unexpected error' with a stack trace and exited 1",
    rule: "The command line checks what a file or a flag holds by the client's own rules before any request: a usage error naming the flag, exit 2",
    test: "test/cli/run.test.ts › takes a conversation from --messages FILE",
  },
  {
    finding: "A fetch option whose errors were each other's cause (no code) made a failed call a RangeError",
    rule: "A failure's code and reason are looked for at most 8 causes down, in a loop: an APIConnectionError with the first code found, else CONNECTION_ERROR",
    test: "test/contract/fetch-module.test.ts \u203a gives an APIConnectionError with the failure's code, even when its causes loop",
  },
  {
    finding: "A server's step name, error message or result (a model's output alike) with escape sequences was printed as it was: on a terminal it could retitle the window, write the clipboard (OSC 52) or draw over the command's own lines",
    rule: "On a terminal, text from the network is shown with its control characters and bidirectional marks written out as escapes (line breaks and tabs kept in results); errors on stderr always; a result in a pipe passes as it is",
    test: "test/cli/terminal-escapes.test.ts",
  },
  {
    finding: "3,000 concurrent execute() calls under the common limit of 1,024 open files: 849 failed with EMFILE or ECONNRESET, even with retries (10,000: 7,975); every call opened a connection of its own, on node:http while undici loaded and on undici after",
    rule: "maxConnections (default 100) bounds a client's connections for whole answers on both paths; calls beyond wait their turn within their timeout; the first calls' node:http connections close once undici has loaded; each stream keeps a connection of its own",
    test: "test/contract/connection-limit.test.ts",
  },
  {
    finding: "replayScope(fn, { record }) with a cassette path that could not be written (under a file): fn's calls ran, then the scope failed with the file system's raw error (EEXIST) and their result was lost",
    rule: "A recording's cassette path is checked (its folder made, writable, not a folder) before the scope's code runs; a failure then or at the end is CassetteError CASSETTE_UNWRITABLE naming the file",
    test: "test/contract/replay-errors.test.ts \u203a refuses a recording whose cassette cannot be written there before its code runs",
  },
  {
    finding: "timeout: 1e10 (or a totalTimeout, pollInterval, relay or server timer past 2^31 ms) failed every call at once with APITimeoutError: setTimeout keeps 32 bits and a longer delay fires in 1 ms",
    rule: "Every option that becomes a timer is refused above 2,147,483,647 ms (about 24 days), naming the option and the limit, before any request: both clients, the page's relay flow, the relay's and the local server's timer options",
    test: "test/reliability/bad-input.test.ts › timeout longer than a timer holds; timeout 1e10 on a call; test/web/relay-boundaries.test.ts › a streamTimeoutMs longer than a timer holds; test/server/jobs.test.ts › refuses a job latency…",
  },
  {
    finding: "A paused answer whose toolCalls were [null, 5, \"x\"] was accepted and handed to the toolHandler; resume() then failed with TypeError: Cannot read properties of null (reading 'id') from inside the client",
    rule: "A pause (a whole answer or a stream's event) whose tool calls are not objects with a string id is refused when read: INVALID_RESPONSE or INVALID_EVENT naming the call, before any handler runs",
    test: "test/contract/malformed-tool-calls.test.ts (both clients)",
  },
  {
    finding: "A middleware's answer with a BigInt, a cycle, a function or 5,000 levels in its body or events' data, or a hook that set request.headers = null, failed the call with raw errors from JSON.stringify or Object.entries; middleware: [, layer] passed the constructor and failed every call",
    rule: "A middleware's answer is checked as JSON (a walk with its own stack, up to the 2,000 levels answers may have): a TypeError naming the middleware and the place; a replaced request.headers is a ValueError; holes are refused where the client is made",
    test: "test/contract/middleware.test.ts › refuses an answer whose body or events JSON cannot carry…; › refuses a hook that replaces request.headers…; › refuses a middleware array with a hole…",
  },
  {
    finding: "With otel on, an onCall hook (or its end, or onToolHandler's end) that threw stopped the other layers' ends: the call's span and its tool spans were never ended, so the call vanished from the trace",
    rule: "Every layer a call opened is closed, last opened first, even when another layer's hook or end throws; the call then fails with the first error thrown",
    test: "test/contract/middleware.test.ts › closes every layer a call opened when one layer's end throws…; test/telemetry/spans.test.ts › still ends the call's span when a middleware's end of the call throws…",
  },
  {
    finding: "With otelPayloads, a tool call whose arguments (JSON text inside the answer) spelt the key with an escape put the key in gen_ai.tool.call.arguments; a tool result returned as JSON text skipped the redact paths",
    rule: "Whatever telemetry parses itself (arguments, a result given as a string) is scrubbed of the key again and passed through the redact paths, like every other payload",
    test: "test/telemetry/secrets.test.ts › a server that echoes the key: inEscapedToolArguments; test/unit/telemetry-payloads.test.ts",
  },
  {
    finding: "A trace answer of 2,000,000 records made a step span each: the blocking execute with otelSteps took 5 s and 500 MB, and run.trace() 5.4 s against 0.7 s without telemetry; a propagator adding 20 KB of baggage got the call refused with 431",
    rule: "One trace makes at most 1,000 step spans, the rest counted in noukai.trace.steps_not_traced; a propagator's headers add at most 4,096 characters to a request (what does not fit is dropped)",
    test: "test/telemetry/spans.test.ts › makes at most 1,000 step spans from one trace…; › sends at most 4,096 characters of a propagator's headers…",
  },
  {
    finding: "A trace whose records held tokens of -10 or 1e308, a durationMs of -5e300 or an attempt of -1 put them on step spans as facts, and placed a step's span thousands of years before its start",
    rule: "A count, duration or index a server sends is shown only when it is a whole-number range a step can have (0 to 2^53); anything else is left out, as a missing field is",
    test: "test/telemetry/spans.test.ts › leaves out counts and durations no step can have…",
  },
];
