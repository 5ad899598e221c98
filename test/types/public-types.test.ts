import type {
  AsyncFlow,
  CallOptions,
  ClientOptions,
  EventsOptions,
  ExecuteAsyncOptions,
  ExecuteOptions,
  ExecuteResult,
  Job,
  JobStatus,
  LogEvent,
  PausedResult,
  ResumeOptions,
  Run,
  StepAttempts,
  StepCompleted,
  StepsOptions,
  StepTrace,
  StepTraceOptions,
  StreamEvent,
  ToolCallsRequired,
  ToolHandler,
  Trace,
  WaitOptions,
} from "noukai";
import type { AsyncNoukai, AuthenticationError, NoukaiError, RateLimitError, ValueError } from "noukai";
import { describe, expectTypeOf, it } from "vitest";

/** Checked by `tsc` (the test run only proves the file loads). */
describe("public types", () => {
  it("narrows a switch over event.type", () => {
    const describeEvent = (event: StreamEvent): string => {
      switch (event.type) {
        case "step_completed":
          expectTypeOf(event.stepIndex).toEqualTypeOf<number>();
          expectTypeOf(event.costUsd).toEqualTypeOf<string | undefined>();
          return event.stepId;
        case "tool_calls_required":
          expectTypeOf(event).toEqualTypeOf<ToolCallsRequired>();
          expectTypeOf<ToolCallsRequired["resume"]>().returns.toEqualTypeOf<Promise<void>>();
          return event.toolCalls[0]?.function.name ?? "";
        case "flow_completed":
          return String(event.result);
        case "run_started":
        case "step_started":
        case "step_input":
        case "step_output":
        case "step_error":
        case "step_paused":
          return event.type;
        default: {
          const exhaustive: never = event;
          return exhaustive;
        }
      }
    };
    expectTypeOf(describeEvent).parameter(0).toEqualTypeOf<StreamEvent>();
  });

  it("narrows an execute outcome by status and by requiresToolCalls", () => {
    const handle = (outcome: ExecuteResult | PausedResult) => {
      if (outcome.requiresToolCalls) {
        expectTypeOf(outcome).toEqualTypeOf<PausedResult>();
        expectTypeOf<PausedResult["resume"]>().parameter(0).toEqualTypeOf<ResumeOptions>();
      } else {
        expectTypeOf(outcome).toEqualTypeOf<ExecuteResult>();
      }
      if (outcome.status === "tool_calls_required") expectTypeOf(outcome.toolCalls).toBeArray();
    };
    expectTypeOf(handle).returns.toBeVoid();
  });

  it("types the clients' methods", () => {
    expectTypeOf<AsyncNoukai["flow"]>().returns.toEqualTypeOf<AsyncFlow>();
    expectTypeOf<AsyncFlow["execute"]>().returns.toEqualTypeOf<Promise<ExecuteResult | PausedResult>>();
    expectTypeOf<AsyncFlow["steps"]>().returns.toEqualTypeOf<AsyncIterableIterator<StepCompleted>>();
    expectTypeOf<AsyncFlow["events"]>().returns.toEqualTypeOf<AsyncIterableIterator<StreamEvent>>();
    expectTypeOf<AsyncFlow["executeAsync"]>().returns.toEqualTypeOf<Promise<Job>>();
    expectTypeOf<Job["wait"]>().returns.toEqualTypeOf<Promise<JobStatus>>();
    expectTypeOf<Run["trace"]>().returns.toEqualTypeOf<Promise<Trace>>();
    const overloads = (run: Run) => {
      expectTypeOf(run.stepTrace("s", { attempt: "all" })).toEqualTypeOf<Promise<StepAttempts>>();
      expectTypeOf(run.stepTrace("s", { attempt: 2 })).toEqualTypeOf<Promise<StepTrace>>();
    };
    expectTypeOf(overloads).toBeFunction();
    expectTypeOf<AsyncNoukai["defaultOrg"]>().toEqualTypeOf<string | null>();
  });

  it("refuses message and messages together, and unknown options, at compile time", () => {
    expectTypeOf<{ message: string; messages: [] }>().not.toMatchTypeOf<ExecuteOptions>();
    expectTypeOf<{ message: string }>().toMatchTypeOf<ExecuteOptions>();
    expectTypeOf<{ messages: [{ role: "user"; content: "x" }] }>().toMatchTypeOf<ExecuteOptions>();
    expectTypeOf<{ messages: [{ role: "system"; content: "x" }] }>().not.toMatchTypeOf<ExecuteOptions>();
    expectTypeOf<{ runRemaining: true }>().toMatchTypeOf<EventsOptions>();
    expectTypeOf<{ tools: [] }>().not.toMatchTypeOf<ExecuteAsyncOptions>();
  });

  it("exports every option type by name", () => {
    expectTypeOf<ClientOptions["onLog"]>().toEqualTypeOf<((event: LogEvent) => void) | undefined>();
    expectTypeOf<ExecuteOptions["toolHandler"]>().toEqualTypeOf<ToolHandler | undefined>();
    expectTypeOf<StepsOptions["inputOverrides"]>().toEqualTypeOf<Record<string, unknown> | undefined>();
    expectTypeOf<WaitOptions["pollInterval"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<StepTraceOptions["attempt"]>().toEqualTypeOf<"latest" | "all" | number | undefined>();
    expectTypeOf<CallOptions["signal"]>().toEqualTypeOf<AbortSignal | undefined>();
  });

  it("keeps the error hierarchy", () => {
    expectTypeOf<AuthenticationError>().toMatchTypeOf<NoukaiError>();
    expectTypeOf<RateLimitError["retryAfter"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ValueError>().not.toMatchTypeOf<NoukaiError>();
  });
});
