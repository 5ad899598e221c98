import type { HardeningRow } from "./row.js";

/**
 * The relay's rows of the hardening table in RELIABILITY.md: each attack a
 * hostile page (or anyone who can reach the relay) was made to try, the rule
 * that stops it, and the test that proves it.
 */
export const RELAY_RULES: HardeningRow[] = [
  {
    finding: "The official relay sends a paused run's state (executionId, pausedAtStep, iterationsUsed, toolCallMessages, accumulatedOutputs) through the browser and takes it back as sent: a page can forge step outputs, reset the tool-round counter or resume another execution",
    rule: "A paused whole answer leaves the relay only sealed (AES-256-GCM, key derived by HKDF-SHA-256 from the relay's secret) in an opaque token; a paused stream stays on the server, the token carrying a handle to it; no event or answer carries the state",
    test: "test/web/relay.test.ts › hands a pause over without a handler; sends no execution state and no step inputs over the wire",
  },
  {
    finding: "A token with one byte changed (prefix, IV, sealed state, authentication tag), cut short, made up, or replaced by a JSON state",
    rule: "Refused as RELAY_TOKEN_INVALID (400) before any request; the run stays paused and the genuine token still works",
    test: "test/web/relay-tokens.test.ts › a token the browser altered (the server's /execute and /step counters unchanged, the run still running); test/web/relay-units.test.ts › refuses every single-bit change of a token",
  },
  {
    finding: "A token sealed by a relay with another secret",
    rule: "It does not open: RELAY_TOKEN_INVALID",
    test: "test/web/relay-tokens.test.ts › is refused by a relay with another secret",
  },
  {
    finding: "A token of one flow's relay sent to a relay of another flow, or of another version of the same flow, sharing the secret",
    rule: "A token names the relay (org/project/slug@version) that sealed it: RELAY_TOKEN_FOREIGN",
    test: "test/web/relay-tokens.test.ts › is refused by a relay of another flow, or of another version",
  },
  {
    finding: "A stream's token sent to resume a whole answer, and the reverse",
    rule: "A token names the kind of run it resumes: RELAY_TOKEN_MODE",
    test: "test/web/relay-tokens.test.ts › is refused on the other kind of run",
  },
  {
    finding: "A page trying to resume another execution than its own",
    rule: "The browser never names an execution: the token does, so only the execution it was issued for resumes",
    test: "test/web/relay-tokens.test.ts › resumes only the execution it was issued for",
  },
  {
    finding: "A token used after its expiry",
    rule: "Tokens carry an expiry (tokenTtlMs, 10 minutes by default), checked after opening: RELAY_TOKEN_EXPIRED (410); a held stream is let go at the same time",
    test: "test/web/relay-tokens.test.ts › is refused once expired",
  },
  {
    finding: "A token replayed after its run went on or completed, and the same token sent twice at once",
    rule: "Each token has a one-time nonce; the relay keeps a bounded record of used nonces until their tokens expire (full of live ones, it refuses resumes with 503 RELAY_BUSY rather than forget one): RELAY_TOKEN_USED (409), exactly one of two concurrent uses succeeds; a failed resume releases the token so the page can correct its results",
    test: "test/web/relay-tokens.test.ts › is refused when replayed after the run completed; is accepted once when sent twice at once; can be tried again with corrected tool results",
  },
  {
    finding: "A used token replayed to a relay that never saw it used (restarted, or another instance with the same secret)",
    rule: "The service's own state refuses it (EXECUTION_ID_INVALID: the run has finished); a stream's token names a run only the relay that holds it can resume (RELAY_TOKEN_UNKNOWN, 410)",
    test: "test/web/relay-tokens.test.ts › replayed to a relay that never saw it used; of a stream is refused once used, and after a restart",
  },
  {
    finding: "Paused streams piling up on the relay",
    rule: "At most maxPausedStreams (1000) are held; past it the oldest is let go and its request to the service ended (its token is then RELAY_TOKEN_UNKNOWN)",
    test: "test/web/relay-tokens.test.ts › of a stream the relay let go (past maxPausedStreams) is UNKNOWN",
  },
  {
    finding: "The official relay forwards every execute field from the browser verbatim (parameters, blockOverrides, attachments, trace)",
    rule: "The browser may send message or messages, and tools/toolChoice only when the relay lists them in browserFields; every other field, resume fields beside a token included, is refused by name (FIELD_NOT_ALLOWED) and starts no run; the server's fields come from prepare(request, input)",
    test: "test/web/relay-boundaries.test.ts › the browser's fields: an allow-list; test/web/relay.test.ts › gives the run the server's fields from prepare()",
  },
  {
    finding: "Keys named __proto__ or constructor, system messages, messages with extra fields, bodies that are not UTF-8, not JSON or not an object",
    rule: "Refused with INVALID_JSON or INVALID_INPUT, naming the field",
    test: "test/web/relay-boundaries.test.ts › refuses %s (INVALID_INPUT); refuses a body that is %s (INVALID_JSON)",
  },
  {
    finding: "The official relay reads and parses the body before authorize runs: a stranger's gigabyte is read before anyone decides whether to serve them",
    rule: "Rate limit and authorize run before the body is opened; a refusal closes the connection so Node does not read the rest; over HTTP a gigabyte announced gets its 403 after a few kilobytes",
    test: "test/web/relay-boundaries.test.ts › refuses without reading a byte of the body; never reads a huge body it refuses, over HTTP; test/web/express.test.ts and fastify.test.ts › refuses an unauthorized request before reading its body",
  },
  {
    finding: "(found while attacking the fix) An authorize that forgot its return statement let every request through",
    rule: "Only true lets a request through; undefined, a string, a number, or a throw refuses (403 FORBIDDEN); what authorize threw is never shown, unless it is a RelayRefusal",
    test: "test/web/relay-boundaries.test.ts › lets a request through only on true; tells a refused browser only a code",
  },
  {
    finding: "Oversized bodies (declared or streamed), trickled bodies, too many messages or tool results",
    rule: "A declared length above maxBodyBytes (256 KiB) is refused unread; a body growing past it is cut at the first chunk too many (413 BODY_TOO_LARGE); bodyTimeoutMs (10 s) bounds its arrival (408); maxMessages (40) bounds messages and tool results (413)",
    test: "test/web/relay-boundaries.test.ts › bounds",
  },
  {
    finding: "A run asking for tool rounds without end through the relay",
    rule: "The relay counts rounds itself (the round is sealed in the token): past maxToolRounds (10) it answers RELAY_TOOL_ROUND_LIMIT (409), a ToolCallLimitError in the page, whole or streamed",
    test: "test/web/relay-boundaries.test.ts › stops a run at the relay's maxToolRounds",
  },
  {
    finding: "The official relay has no rate limit",
    rule: "rateLimit: { requests, windowMs, key } per client, before authorize and the body: 429 RATE_LIMITED with Retry-After, a RateLimitError with retryAfter in the page; windows bounded by maxClients",
    test: "test/web/relay-boundaries.test.ts › rate limit; test/web/express.test.ts › counts the rate limit by req.ip",
  },
  {
    finding: "A page that opens a stream and stops reading it, or a run that never ends, holding a request to the service",
    rule: "streamTimeoutMs (10 minutes) bounds each streamed answer: RELAY_STREAM_TIMEOUT, an APITimeoutError in the page, and the run's request ended; a page that leaves early ends it at once",
    test: "test/web/relay-errors.test.ts › a stream past the relay's streamTimeoutMs; test/web/relay.test.ts › ends the run's request to the service when the page leaves the stream early",
  },
  {
    finding: "A cross-site form or a text/plain POST (no CORS preflight) to a relay authorized by cookies",
    rule: "The relay takes application/json only (415 otherwise), which a cross-site page cannot send without a preflight the relay does not grant, and POST only (405)",
    test: "test/web/relay-boundaries.test.ts › refuses other methods (405) and other content types (415)",
  },
  {
    finding: "The official relay's own errors arrive with no code; network failures reach the page as raw TypeError or AbortError; its timeout is in seconds",
    rule: "Every refusal is { detail: { code, message } } with X-Request-ID; the page gets the error class of its status (RelayTokenError for tokens, ToolCallLimitError, RateLimitError…), APIConnectionError, APITimeoutError or APIUserAbortError for its own trouble, never confused; timeout is in milliseconds",
    test: "test/web/relay-errors.test.ts",
  },
  {
    finding: "Failures behind the relay: the service's refusal, its rate limit, its absence, its slowness, the relay's key refused, a bug in a hook",
    rule: "The service's answers pass with their status, code, X-Request-ID and Retry-After; unreachable is 502 UPSTREAM_UNAVAILABLE, slow 504 UPSTREAM_TIMEOUT, the key refused 502 UPSTREAM_REFUSED (naming no key); anything else 500 RELAY_ERROR with a request id that onError gets with the error, whose text is never shown",
    test: "test/web/relay-errors.test.ts › the service's answers, through the relay",
  },
  {
    finding: "The API key reaching the browser",
    rule: "The relay's client holds it; no answer, event or error of the relay carries it",
    test: "test/web/relay.test.ts › sends no execution state…; test/web/relay-errors.test.ts › the service refusing the relay's key",
  },
  {
    finding: "A page's body nested deeper than a client sends was parsed and handed on",
    rule: "Refused as INVALID_INPUT (400), saying how deep, before any run",
    test: "test/web/relay-boundaries.test.ts › refuses a body nested deeper than a client sends",
  },
];
