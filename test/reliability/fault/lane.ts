import { type ClientKind, makeClient, type AnyClient } from "../../helpers/clients.js";
import { observe } from "../support/outcome.js";
import { uuidAt } from "../support/seeded.js";
import { type CallContext, operationAt } from "./operations.js";
import type { FaultRunSize } from "./plan.js";
import { auditRetries, retryReason, type TimedEvent } from "./retry-audit.js";
import { addProblem, encodeStatus, OUTCOME, operationTally, phaseTally, type Tally } from "./tally.js";

/** Where the server can be reached now, and what phase of the run that is. */
export interface Door {
  url: string;
  phase: string;
}

/** A slow event loop on a loaded 2-core machine may settle a call a little after its own deadline. */
const DEADLINE_GRACE_MS = 3_000;

/**
 * One caller making one call at a time with its own client, so that the
 * client's log events belong to the call being made and can be audited.
 * A lane replaces its client now and then (`close()` under load) and when
 * the server moves.
 */
export class Lane {
  private client: AnyClient | undefined;
  private clientUrl = "";
  private callsOnClient = 0;
  private readonly log: TimedEvent[] = [];
  private readonly pool: string[] = [];

  constructor(
    private readonly kind: ClientKind,
    private readonly size: FaultRunSize,
    private readonly apiKey: string,
    private readonly tally: Tally,
    private readonly statuses: Uint8Array,
  ) {}

  async call(index: number, door: Door): Promise<void> {
    const client = await this.clientFor(door.url);
    this.log.length = 0;
    const operation = operationAt(this.size.seed, index, this.pool);
    const context: CallContext = {
      index,
      sessionId: uuidAt(this.size.seed, index),
      timeoutMs: this.size.timeoutMs,
      jobWaitMs: this.size.jobWaitMs,
      pool: this.pool,
    };
    const deadlineMs = operation.deadlineMs(context);
    const outcome = await observe(() => operation.run(client, context));
    const what = `call ${index} (${operation.name}, ${this.kind}, ${door.phase})`;
    const problems: string[] = [];
    if (outcome.ok && outcome.value !== undefined) problems.push(`${what} returned a wrong value: ${outcome.value}`);
    if (!outcome.ok && !outcome.typed) problems.push(`${what} failed with an untyped ${outcome.errorClass}: ${outcome.message}`);
    if (outcome.ms > deadlineMs + DEADLINE_GRACE_MS) problems.push(`${what} took ${Math.round(outcome.ms)} ms, past its ${deadlineMs} ms deadline`);
    for (const problem of auditRetries(this.log, this.size.timeoutMs, this.size.maxRetries)) problems.push(`${what}: ${problem}`);
    for (const { event } of this.log) {
      if (event.phase === "retry") this.tally.retries[retryReason(event)] = (this.tally.retries[retryReason(event)] ?? 0) + 1;
    }
    const share = outcome.ms / deadlineMs;
    if (share > this.tally.slowest.share) this.tally.slowest = { share, what };

    this.tally.calls[this.kind] += 1;
    const byOperation = operationTally(this.tally, operation.name);
    byOperation.totalMs += outcome.ms;
    const byPhase = phaseTally(this.tally, door.phase);
    let code: number;
    if (problems.length > 0) {
      problems.forEach((problem) => addProblem(this.tally, problem));
      byOperation.wrong += 1;
      byPhase.wrong += 1;
      code = OUTCOME.wrong;
    } else if (outcome.ok) {
      byOperation.ok += 1;
      byPhase.ok += 1;
      code = OUTCOME.ok;
    } else {
      const label = `${outcome.errorClass}${outcome.code ? ` ${outcome.code}` : ""}`;
      byOperation.typedErrors[label] = (byOperation.typedErrors[label] ?? 0) + 1;
      byPhase.typedError += 1;
      code = OUTCOME.typedError;
    }
    this.statuses[index] = encodeStatus(operation.name, code as 1 | 2 | 3);
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  private async clientFor(url: string): Promise<AnyClient> {
    if (this.client !== undefined && url === this.clientUrl && this.callsOnClient < this.size.recycleEvery) {
      this.callsOnClient += 1;
      return this.client;
    }
    await this.close();
    this.client = makeClient(this.kind, {
      apiKey: this.apiKey,
      baseUrl: url,
      timeout: this.size.timeoutMs,
      maxRetries: this.size.maxRetries,
      onLog: (event) => this.log.push({ at: Date.now(), event }),
    });
    this.clientUrl = url;
    this.callsOnClient = 1;
    return this.client;
  }
}
