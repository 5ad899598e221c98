/**
 * The local server's rows of the RELIABILITY table: each finding closed and
 * each attack tried, the rule that stops it, and the test that proves it
 * (file, then test name). Plain data, rendered elsewhere.
 */
export interface ServerRule {
  finding: string;
  rule: string;
  test: string;
}

const H = "test/reliability/hardening";

export const SERVER_RULES: ServerRule[] = [
  {
    finding: "1. ~2,100 /execute calls with a 1 MB message exhaust the heap (each stored run keeps ~2 MB); stores bounded by count only",
    rule: "Every store is bounded by bytes as well as count, weighed incrementally as it grows: executions kept and in flight (maxRunBytes 128 MiB), idempotency records incl. streams being recorded (64 MiB), waiting jobs (32 MiB), bodies being received (32 MiB), connections (1000)",
    test: `${H}/server-memory.test.ts › stays under 512 MB resident, with a 384 MB heap; ${H}/store-budgets.test.ts › byte budgets (6 tests)`,
  },
  {
    finding: "1. A 28 KB blockOverrides template repeating {{message}} and {{steps.outline}} makes a 400 MB answer the server keeps; a dozen kill it",
    rule: "Output is bounded while it renders, each piece weighed by its JSON size before it is built (each reference counts): maxStepOutputBytes 2 MiB, maxRunOutputBytes 8 MiB; past either the step fails with OUTPUT_TOO_LARGE naming the limit",
    test: `${H}/output-limits.test.ts › refuses the reported 28 KB amplification at once, naming the limit, and keeps nothing big; › counts a referenced value each time, by its JSON size, objects included; › bounds a run's outputs together`,
  },
  {
    finding: "2. A preflight from https://evil.example gets 204 with Access-Control-Allow-Origin: * and Authorization allowed",
    rule: "Origin policy: a request (preflight or not) with an Origin not listed in cors (--cors) gets 403 ORIGIN_NOT_ALLOWED and no CORS headers; clients outside a browser send no Origin and are unaffected",
    test: `${H}/host-origin.test.ts › refuses a foreign page's preflight and requests (403 ORIGIN_NOT_ALLOWED, no CORS headers), and runs nothing; › serves clients outside a browser, which send no Origin`,
  },
  {
    finding: "2. A POST with Host: rebind.evil.example gets 200 (DNS rebinding)",
    rule: "Host allow-list: localhost, IP addresses, the bound name (this machine's name when bound beyond loopback) and allowedHosts (--allowed-host); any other Host gets 403 HOST_NOT_ALLOWED",
    test: `${H}/host-origin.test.ts › refuses Host names a page could rebind (403 HOST_NOT_ALLOWED) and answers loopback names and IP addresses`,
  },
  {
    finding: "2. Any nk_ key is accepted by default; --host 0.0.0.0 without --api-key prints no warning",
    rule: "noukai dev warns (exposureWarnings) when bound beyond loopback with no API keys, and when cors or allowed host is *",
    test: `${H}/host-origin.test.ts › answers this machine's own name, and warns when no API key is required; › noukai dev prints the warnings, and refuses a --cors that is not an origin (exit 2)`,
  },
  {
    finding: "3. Shutdown with calls in flight: /step ends with ECONNRESET, /execute with a socket error; the CLI cuts its ::1 listener first",
    rule: "Graceful stop: stop accepting, let calls finish for graceMs (new requests on open connections get 503 SERVER_CLOSING), close the app so what remains ends with its last word, close connections once those answers are written (2 s more for a reader that does not read); dual-stack localhost lives in listen()",
    test: `${H}/shutdown.test.ts › shutting down with calls in flight (4 tests); › Ctrl+C of noukai dev (2 tests)`,
  },
  {
    finding: "4. {{message | valueOf}} passes validation, answers 500, leaves the run running, reports a job cancelled, ends /step with no terminal event",
    rule: "Every lookup by a caller's or a flow file's name finds own entries only (Map / Object.hasOwn / null-prototype tables); blockOverrides templates are validated (400 TEMPLATE_INVALID); a bug while a run advances fails it with INTERNAL_ERROR, /step still ends with step_error, a job reports failed",
    test: `${H}/own-properties.test.ts › names that are Object.prototype members (9 tests)`,
  },
  {
    finding: "5. listen() serving a wrapped app dies of an unhandled rejection on step:cut=N; a client leaving mid-stream leaves a wait for drain that never ends",
    rule: "Bindings handle every promise and end every wait on close or error; a client that leaves cancels the body it read",
    test: `${H}/bindings.test.ts › the general binding (a wrapped app) and the server's own binding (3 tests each, child process)`,
  },
  {
    finding: "6. The same Idempotency-Key on /slow/execute and /%73low/execute runs twice",
    rule: "A key's scope is the route as decoded (action, org, project, slug, version) and the API key, hashed",
    test: `${H}/idempotency-scope.test.ts › runs once for every spelling of one route (4 cases); › keeps distinct routes distinct`,
  },
  {
    finding: "7. A *.json link to a non-JSON file echoes its first characters; a FIFO named *.json hangs start-up and the first Ctrl+C is ignored",
    rule: "Flow files: regular files only (links to them fine), opened O_NONBLOCK and checked on the descriptor, at most 4 MiB, syntax errors by line and column, never quoted; start-up observes Ctrl+C",
    test: `${H}/flow-loading.test.ts › loading a flows directory (5 tests)`,
  },
  {
    finding: "8. All state is in memory and lost on restart; a retry after a restart runs the flow again; nothing says so",
    rule: "Without --data, stated in src/server/README.md (State and restarts) and the root README's local-server section; with --data DIR, executions, jobs, sessions and idempotency records survive a restart, and work in flight comes back failed with SERVER_RESTARTED, never run again",
    test: "test/server/data-dir.test.ts › noukai dev --data DIR (5 tests); › startServer({ dataDir }) (5 tests)",
  },
  {
    finding: "15 (server). steps()/events() fail with 413 once earlier outputs pass 1 MiB, while execute() succeeds",
    rule: "Run routes accept 1 MiB of the caller's own input plus up to maxRunOutputBytes of accumulatedOutputs (the caller's own part still checked, without building JSON)",
    test: `${H}/request-size.test.ts › runs steps() and events() through a flow whose outputs total 7 MB, as execute() does; › resumes tool calls on /execute with several MB of earlier outputs; › still caps the caller's own input at 1 MiB`,
  },
  {
    finding: "Attack: a blockOverrides template of {{ and a megabyte of spaces holds the server for minutes (the placeholder pattern backtracked in cubic time)",
    rule: "Templates are split by a linear scanner; the parse cache is bounded by bytes (4 MiB) and keeps no template over 16 KiB",
    test: `${H}/output-limits.test.ts › reads a caller's template in linear time; test/server/template-parts.test.ts`,
  },
  {
    finding: "Attack: a Host header that makes no URL (Host: a b) throws inside listen()'s general binding and kills the process",
    rule: "Bindings answer 400 to a request target or Host that makes no URL",
    test: `${H}/bindings.test.ts › answers what a client sends when it is not a whole request`,
  },
  {
    finding: "Attack: a model named constructor in blockOverrides answers 500 (prices looked up with [])",
    rule: "Own-property lookups everywhere input names a table entry",
    test: `${H}/own-properties.test.ts › runs flows and steps named after them, with overrides and model names named after them`,
  },
  {
    finding: "Attack: one unread GET of a session listing takes 400 MB (snapshots of every step of every run); a second kills the server",
    rule: "A read answer holds at most 8 MiB of snapshots, the rest null and marked truncated",
    test: `${H}/answer-limits.test.ts › lists a session within 8 MiB of snapshots, marking what it left out; › keeps a trace of a step tried 31 times with a 1 MB input within the same room`,
  },
  {
    finding: "Attack: 150 live traces of a big run that never read kill the server (each replay built every frame at once)",
    rule: "A live trace replays one frame at a time at its reader's pace and drops a reader 4 MiB behind",
    test: `${H}/answer-limits.test.ts › survives live traces that never read, with its heap capped (child process)`,
  },
  {
    finding: "Attack: clients that ask for big answers and never read them pile the answers up in the server",
    rule: "Answers waiting for readers are bounded (maxAnswerBytesWaiting 64 MiB, then 503 SERVER_BUSY; a stream adding to twice that is cut); a reader that takes nothing for readerStallMs (30 s) is dropped",
    test: `${H}/answer-limits.test.ts › refuses new requests (503 SERVER_BUSY) while unread answers pass maxAnswerBytesWaiting, and drops readers that stall`,
  },
  {
    finding: "Attack: 10,000 idempotency keys of 15 KB each (the key was kept, unweighed, in every record's scope)",
    rule: "Scopes are kept as a hash; each record weighs a fixed overhead besides its answer",
    test: `${H}/store-budgets.test.ts › idempotency records: kept within maxIdempotencyBytes, streams being recorded included; a repeat never runs twice`,
  },
  {
    finding: "Attack: runs in flight (a long blockOverrides latencyMs) each holding 1 MB grow past any store bound, since only kept runs were bounded",
    rule: "Runs in flight are held in the execution budget: a new run is refused 503 SERVER_BUSY, a step whose output would not fit fails with SERVER_BUSY",
    test: `${H}/store-budgets.test.ts › executions in flight: a new one is refused (503 SERVER_BUSY) and a step's output fails when held runs fill maxRunBytes`,
  },
  {
    finding: "Attack: thousands of idle connections and slow-loris heads lock polite clients out",
    rule: "maxConnections: past it the oldest idle connection is closed to make room; all busy → the newcomer is refused; heads within 30 s, requests within 60 s",
    test: `${H}/store-budgets.test.ts › connections: past maxConnections the oldest idle one makes room; test/reliability/hostile-clients.test.ts (2,000 idle connections)`,
  },
  {
    finding: "Attack: many concurrent 1 MB bodies sent slowly",
    rule: "maxBodyBytesInFlight: bytes of bodies being received are counted per chunk; past it 503 SERVER_BUSY, the rest discarded",
    test: `${H}/store-budgets.test.ts › request bodies being received: past maxBodyBytesInFlight, a request gets 503 SERVER_BUSY, and the bytes come back`,
  },
  {
    finding: "Attack: a flow file nested 100,000 levels deep (the loader died of a stack overflow: 'unexpected error')",
    rule: "JSON nested past 256 levels is refused with a problem line (request bodies already were)",
    test: `${H}/flow-loading.test.ts › refuses JSON nested deeper than 256 levels with a problem line, not a stack overflow`,
  },
  {
    finding: "Attack: a slow reader during shutdown holds the close for good",
    rule: "After the app closes, final answers get 2 s to be written, then every connection is closed",
    test: `${H}/shutdown.test.ts › does not wait for good on a client that never reads its final answer`,
  },
  {
    finding: "Attack: 400,000 pipelined requests on 20 connections that never read (no finding: node:http stops reading such a connection)",
    rule: "Answers are not queued for a connection that does not read them",
    test: `${H}/answer-limits.test.ts › does not queue the answers of pipelined requests that are never read (child process)`,
  },
];
