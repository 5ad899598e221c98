import type { HardeningRow } from "./row.js";

/** The command line's half of the hardening table in RELIABILITY.md: each attack, the rule that stops it, the test that proves it. */
export const CLI_RULES: HardeningRow[] = [
  {
    finding: "noukai flows crashed with a stack (exit 1) on a 200 that was not JSON or had the wrong shape, and read an endless body unbounded (823 MB in 1.8 s)",
    rule: "flows reads through the client's own exchange (size cap → RESPONSE_TOO_LARGE exit 7, depth, INVALID_RESPONSE, timeout, redirects), then checks each listed flow's shape: INVALID_RESPONSE, exit 6",
    test: "test/cli/odd-answers.test.ts › refuses a body that is not JSON, or flows of the wrong shape, as INVALID_RESPONSE: one line, exit 6; abandons a body that never ends at the client's size cap: RESPONSE_TOO_LARGE, exit 7",
  },
  {
    finding: "Server text reached the terminal raw in trace's summary and --step heading, job status/submit (and an unquoted follow-up command), sessions show/pull, run's cost, and NDJSON's C1 controls and bidi marks",
    rule: "One output path escapes every control on a terminal's stdout and on stderr but the CLI's own colours (C1 and bidi marks as JSON's \\u, so NDJSON stays the same JSON); server fields are escaped as they enter a line (shownText), a colour too; printed commands are shell-quoted",
    test: "test/cli/odd-answers.test.ts › is escaped in job submit's id and job status's lines; the printed follow-up command is shell-quoted (and the other tests of 'what a server sent, on a terminal')",
  },
  {
    finding: "--timeout 9999999 failed at once with TimeoutOverflowWarning instead of waiting",
    rule: "Every time flag (--timeout, --poll-interval) above 2,147,483,647 ms is a usage error (exit 2) naming the flag and its maximum, before the key is looked up or any request",
    test: "test/cli/bad-arguments.test.ts › refuses a --timeout or --poll-interval longer than a timer holds, naming the flag and its maximum, before any request",
  },
  {
    finding: "sessions pull ID -o PATH fetched the session, then crashed on an unwritable PATH (ENOENT, EISDIR, empty), losing it",
    rule: "-o is prepared as a recording's cassette is (prepareCassette) before any request and written as one (saveCassette); a path that cannot be is one line naming it, exit 2",
    test: "test/cli/bad-arguments.test.ts › checks sessions pull's -o file before fetching: a folder, a path under a file, or no name is one line, exit 2",
  },
  {
    finding: "noukai --help > /dev/full: a stdout error other than EPIPE was rethrown as an uncaught exception",
    rule: "Any stdout write failure but EPIPE prints one 'noukai: cannot write to standard output' line, stops the command and exits 1, even after the command ended; a failing stderr exits 1 quietly",
    test: "test/cli/bad-arguments.test.ts › ends with one line and exit 1 when standard output cannot be written (a full device)",
  },
  {
    finding: "Valid JSON of the wrong shape crashed the printers (trace of {}, steps:null, an object stepId, attempts:null, an object error message); tokens:null crashed run on a terminal only",
    rule: "A printer refuses an answer missing its frame (run, steps, attempts) as INVALID_RESPONSE (exit 6, terminal or pipe) and shows any odd field as text (JSON for objects, nothing for null)",
    test: "test/cli/odd-answers.test.ts › refuse a trace without its run or its steps, and a step trace whose attempts are not a list: exit 6, terminal or pipe; run a step reporting null tokens to the same end on a terminal as in a pipe",
  },
  {
    finding: "flows masked the key in the raw JSON text, so a key holding \" or \\ was echoed in clear",
    rule: "flows' answer is masked by the client's redactor on the parsed value, as every other answer the CLI shows",
    test: "test/cli/odd-answers.test.ts › masks a key the server echoes, even one whose characters JSON escapes",
  },
  {
    finding: "--param __proto__=x was silently dropped; __proto__:={…} failed with a message naming neither key nor cause",
    rule: "A parameter is defined as an own property, so __proto__ is sent as an ordinary parameter",
    test: "test/cli/bad-arguments.test.ts › keeps a parameter named __proto__ as a parameter, given as text or as JSON",
  },
  {
    finding: "login/logout on an unwritable credentials file threw raw EEXIST/EISDIR with a stack and left a temporary file holding the key per attempt",
    rule: "A credentials file that cannot be written is one line naming it (exit 1); the temporary file is removed on every failure",
    test: "test/cli/bad-arguments.test.ts › names the credentials file login and logout cannot write, and leaves no temporary file holding the key",
  },
];
