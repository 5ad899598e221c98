import type { Operation } from "../core/middleware.js";
import type { Session, SessionExecution } from "../core/types.js";
import { type Cassette, emptyCassette, type ExecutionCall, type RecordedInput } from "./cassette.js";
import { inputOf } from "./request-facts.js";

const OPERATION_OF_TRIGGER = new Map<string, Operation>([
  ["execute", "execute"],
  ["step", "events"],
  ["job", "executeAsync"],
]);

/** The calls a captured session can answer: one per execution that names its flow and how it was started. */
export function callsOfSession(session: Session): ExecutionCall[] {
  return session.executions.flatMap((execution) => {
    const operation = OPERATION_OF_TRIGGER.get(execution.triggerType ?? "");
    const flow = flowOf(execution);
    if (operation === undefined || flow === undefined) return [];
    const call: ExecutionCall = { operation, flow, executionId: execution.executionId, execution };
    const input = firstInput(execution);
    if (input !== undefined) call.input = input;
    return [call];
  });
}

/**
 * A session as a cassette, to replay it later with no service (`noukai
 * sessions pull`). Whatever writes it to a file checks it as a load would
 * (./cassette-files.ts), so a cassette the client would refuse is never written.
 */
export function cassetteOfSession(session: Session): Cassette {
  const cassette = emptyCassette(session.sessionId);
  cassette.calls = callsOfSession(session);
  return cassette;
}

/** Executions that no call can match: no slug (the flow was deleted), or no known trigger. */
export function unreplayable(session: Session): SessionExecution[] {
  return session.executions.filter((execution) => OPERATION_OF_TRIGGER.get(execution.triggerType ?? "") === undefined || flowOf(execution) === undefined);
}

/**
 * The flow as `org/project/slug` when the flow id says it (the local server's
 * ids are `flow_org/project/slug`), else `*\/*\/slug`: the slug alone, as the
 * official clients match.
 */
function flowOf(execution: SessionExecution): string | undefined {
  const whole = /^flow_([^/]+\/[^/]+\/[^/]+)$/.exec(execution.flowId ?? "")?.[1];
  if (whole !== undefined && whole.endsWith(`/${execution.slug ?? ""}`)) return whole;
  return execution.slug === null || execution.slug === "" ? undefined : `*/*/${execution.slug}`;
}

function firstInput(execution: SessionExecution): RecordedInput | undefined {
  const snapshot = execution.steps[0]?.inputSnapshot;
  return snapshot === null || snapshot === undefined ? undefined : inputOf(snapshot);
}
