import type { HardeningRow } from "./row.js";

/**
 * Record and replay's rows of the hardening table in RELIABILITY.md: each
 * cassette the library wrote or took that did not replay as the live run
 * went, the rule that stops it, and the test that proves it.
 */
const T = "test/contract/replay-cassettes.test.ts";

export const REPLAY_RULES: HardeningRow[] = [
  {
    finding:
      'A recording wrote an attempt that got no answer as `"response": { "status": 0 }`: a first attempt whose connection dropped and was retried, or a call still running when the scope\'s code returned; the cassette never replayed (an untyped ValueError blaming the "replay scope" middleware)',
    rule: "An attempt with no answer is not kept: a replay answers the call as its retry was answered. A recording whose code left a call running, or whose call ended with no answer, is not written: CassetteError CASSETTE_INCOMPLETE naming each call (and that it must be awaited inside the scope); the call itself is unharmed",
    test: `${T} › replays a call whose first connection dropped and was retried as it ended: with its answer; ${T} › refuses to write a recording whose code left a call running, and says which (CASSETTE_INCOMPLETE)`,
  },
  {
    finding:
      "The load check was weaker than the shipped schema: a pulled execution's steps were not checked (steps [null], toolRounds 5 gave raw TypeErrors), and a status of 200.5, a numeric header, events on an execute, a JSON body on a stream or a missing recordedAt loaded, then failed with a ValueError naming neither file nor call",
    rule: "Everything a replay uses is checked at load: execution, steps, tool rounds, whole HTTP statuses, string headers, events only on a stream that succeeded, body or events, recordedAt; CassetteError CASSETTE_INVALID names the file and the field's path. The schema states the same rules; a test holds both to one set of bad cassettes",
    test: `${T} › both refuse a step that is null, the load naming the file and the field; ${T} › both take what the library writes: recordings and pulled sessions`,
  },
  {
    finding: "A session lists a step once per attempt: a step that failed on attempt 1 and succeeded on attempt 2, in a run that completed, replayed as a failed run (execute) or ended at step_error (events); a step without an errorSnapshot key replayed as failed",
    rule: "A replay rebuilds a session's answers from each step's last attempt, at the place of its first; an execution is read as the client reads a fetched session, so a field left out takes its default (no errorSnapshot is no error)",
    test: `${T} › replays a session's step that failed and was retried as its last attempt: the run completed`,
  },
  {
    finding:
      "Cassettes were written indented at every level: an 80 KB answer nested 1,990 levels became a 160 MB file; `sessions pull` wrote a cassette whose input nested 1,500 levels, which the load then refused (the input limit was 1,001)",
    rule: "A cassette file is indented only at its top six levels, compact below: its size stays within a few times what was received. Every cassette the library writes to a file (a recording, a pulled session) is checked as a load checks it first; an input is limited only by the cassette's depth, so a pulled session loads",
    test: `test/unit/cassette-writing.test.ts; ${T} › records a call that sent parameters nested 900 levels deep to a cassette whose size follows what was sent`,
  },
  {
    finding: 'A tool round recorded with resume() and replayed with a toolHandler gave ReplayMissError ("only 1 were recorded"); recorded with a toolHandler and replayed with resume(), "resume() … was not recorded" though the cassette held it',
    rule: "A replay answers each recorded round whichever way the code answers it: a toolHandler's resume request takes the execution's recorded resume() call, and a resume() takes the rest of the exchanges of the call that recorded the round with a toolHandler",
    test: `${T} › replays a tool round recorded with a toolHandler by resume(), and one recorded with resume() by a toolHandler`,
  },
  {
    finding: "A FIFO (or any non-regular file) at the cassette path, to replay or to record, blocked the process's event loop forever in a synchronous read",
    rule: "A cassette is opened without blocking and refused unless it is a regular file, and a recording's path is checked the same way before its code runs: CassetteError CASSETTE_UNREADABLE \"it is not a regular file\", at once",
    test: `${T} › refuses a FIFO as the cassette, to replay or to record, at once (CASSETTE_UNREADABLE)`,
  },
  {
    finding: "Two scopes recording the same cassette path at once both ran; the one that ended last overwrote the other's recording without a word, and a replay then answered one scope's calls with the other's",
    rule: "A recording holds its cassette's path (resolved) in the process until it ends; a second recording scope of that path meanwhile is refused before its code runs: CassetteError CASSETTE_IN_USE naming the path; once the first ends the path can be recorded again",
    test: `${T} › refuses a second scope recording a cassette another scope is recording (CASSETTE_IN_USE), and lets it be recorded once that one ends`,
  },
  {
    finding:
      "(found while attacking the fixes) A stream made inside a replay scope and read after it, a call from a timer the scope's code set, and a capture opened inside a replay all sent their requests live during the replay; a link or the other build of the package recorded a cassette another scope was recording",
    rule: "A stream's call belongs to the scope it was made in; calls that outlive a replay's or recording's code are refused (ReplayMissError, CASSETTE_INCOMPLETE), the scope store staying on once one has run; a capture inside a replay or recording leaves it in place; recordings are held by real path, for both builds",
    test: `${T} › calls that outlive their scope's code (3 tests); ${T} › knows a cassette being recorded by its real path, through a link and from the other build of the package`,
  },
];
