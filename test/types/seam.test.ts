import type {
  AsyncFlow,
  AsyncMode,
  ExecuteResult,
  Flow,
  Job,
  PausedResult,
  StepCompleted,
  SyncJob,
  SyncMode,
  SyncPausedResult,
  SyncStreamEvent,
} from "noukai";
import type { AsyncNoukai, Noukai } from "noukai";
import { describe, expectTypeOf, it } from "vitest";
import type { FlowApi } from "../../src/clients/shared/flow-api.js";
import type { JobApi } from "../../src/clients/shared/job-api.js";
import type { RunApi } from "../../src/clients/shared/run-api.js";
import type { RunOf } from "../../src/clients/types/surfaces.js";

/**
 * The seam between the clients and the one flow implementation, checked by
 * `tsc` (the test run only proves the file loads): each public surface is the
 * implementation seen in one client's mode, so a method declared and not
 * implemented, or implemented with another type, does not compile.
 */
describe("the typed seam", () => {
  it("makes each client's flows, jobs and runs the one implementation in its mode", () => {
    expectTypeOf<FlowApi<AsyncMode>>().toMatchTypeOf<AsyncFlow>();
    expectTypeOf<FlowApi<SyncMode>>().toMatchTypeOf<Flow>();
    expectTypeOf<JobApi<AsyncMode>>().toMatchTypeOf<Job>();
    expectTypeOf<JobApi<SyncMode>>().toMatchTypeOf<SyncJob>();
    expectTypeOf<RunApi<SyncMode>>().toMatchTypeOf<RunOf<SyncMode>>();
    expectTypeOf<ReturnType<AsyncNoukai["flow"]>>().toEqualTypeOf<AsyncFlow>();
    expectTypeOf<ReturnType<Noukai["flow"]>>().toEqualTypeOf<Flow>();
  });

  it("types the blocking client's values as values and its streams as blocking iterators", () => {
    expectTypeOf<Flow["execute"]>().returns.toEqualTypeOf<ExecuteResult | SyncPausedResult>();
    expectTypeOf<AsyncFlow["execute"]>().returns.toEqualTypeOf<Promise<ExecuteResult | PausedResult>>();
    expectTypeOf<Flow["steps"]>().returns.toEqualTypeOf<IterableIterator<StepCompleted>>();
    expectTypeOf<Flow["events"]>().returns.toEqualTypeOf<IterableIterator<SyncStreamEvent>>();
    expectTypeOf<SyncPausedResult["resume"]>().returns.toEqualTypeOf<ExecuteResult | SyncPausedResult>();
  });

  it("refuses an implementation that lacks a method the surface declares", () => {
    /** A surface with one more method than the implementation has. */
    interface FlowWithCancel extends AsyncFlow {
      cancel(executionId: string): Promise<void>;
    }
    // @ts-expect-error FlowApi has no cancel(): declaring one on the surface without implementing it cannot compile.
    expectTypeOf<FlowApi<AsyncMode>>().toMatchTypeOf<FlowWithCancel>();
    /** A surface whose execute returns another type. */
    interface FlowReturningStrings extends Omit<AsyncFlow, "execute"> {
      execute(): Promise<string>;
    }
    // @ts-expect-error FlowApi's execute returns results, not strings.
    expectTypeOf<FlowApi<AsyncMode>>().toMatchTypeOf<FlowReturningStrings>();
  });
});
