import type { ClientOptions, LogEvent } from "noukai";
import { type ClientKind, makeClient } from "../../helpers/clients.js";
import type { RecordingServer } from "../../helpers/recording-server.js";
import { observe, summarise, unreadable } from "../support/outcome.js";
import type { BadInput } from "./case.js";

export interface BadInputResult {
  kind: ClientKind;
  input: string;
  expected: string;
  outcome: string;
  problems: string[];
}

/**
 * Makes one bad call against a recording server and checks that it failed
 * with the right error, naming the argument, and that nothing reached the
 * server or the log beyond what the case allows.
 */
export async function tryBadInput(server: RecordingServer, kind: ClientKind, bad: BadInput): Promise<BadInputResult> {
  // Fresh calls get a tool pause, resumes a completed run (and every answer is recorded).
  await server.respond("pauseThenComplete");
  const log: LogEvent[] = [];
  const made: { close(): unknown }[] = [];
  const make = (options: ClientOptions) => {
    const client = makeClient(kind, { apiKey: "nk_reliability_bad_input", baseUrl: server.baseUrl, maxRetries: 0, onLog: (e) => log.push(e), ...options });
    made.push(client);
    return client;
  };
  const outcome = await observe(() => bad.run(make({}), make));
  await Promise.all(made.map((client) => client.close()));

  const expected = `${bad.expect.error} naming ${bad.expect.names}`;
  const problems: string[] = [];
  if (outcome.ok) problems.push("the call was accepted");
  else {
    if (outcome.errorClass !== bad.expect.error) problems.push(`expected ${bad.expect.error}, got ${summarise(outcome)}`);
    if (!bad.expect.names.test(outcome.message ?? "")) problems.push(`the message does not name ${bad.expect.names}: ${JSON.stringify(outcome.message)}`);
    problems.push(...unreadable(outcome.message));
  }
  const allowed = bad.requestsAllowed ?? 0;
  const sent = (await server.requests()).length;
  if (sent > allowed) problems.push(`the server was sent ${sent} requests (allowed: ${allowed})`);
  const logged = log.filter((event) => event.phase === "request").length;
  if (logged > allowed) problems.push(`onLog saw ${logged} requests (allowed: ${allowed})`);
  if (allowed === 0 && log.length > 0) problems.push(`onLog saw ${log.length} events`);
  return { kind, input: bad.input, expected, outcome: summarise(outcome), problems };
}
