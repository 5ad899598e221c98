import type { StepCompleted, StreamEvent } from "noukai";
import { HUGE_EVENT_CHARS, UNICODE_RESULT } from "../../helpers/responders/hostile-streams.js";
import { eventsEndingWith, type HostileAnswer } from "./expectations.js";

const theRun = "the run's events, in order, and its result";

/** Event streams in every framing, and streams that misbehave. */
export const STREAM_ANSWERS: HostileAnswer[] = [
  {
    responder: "prototypeEventNames",
    serverDoes: "sends events named constructor, __proto__, hasOwnProperty, toString, valueOf (by event: and by eventType)",
    call: "events",
    expect: {
      value: (value) => {
        const odd = (value as StreamEvent[]).filter((event) => typeof event.type !== "string");
        return odd.length > 0 ? `${odd.length} events with a type that is not a string` : eventsEndingWith("done")(value);
      },
      says: "the run's events only: the inherited names skipped as unknown",
    },
  },
  { responder: "crlfFraming", serverDoes: "frames events with CRLF line ends", call: "events", expect: { value: eventsEndingWith("done"), says: theRun } },
  { responder: "crFraming", serverDoes: "frames events with bare CR line ends", call: "events", expect: { value: eventsEndingWith("done"), says: theRun } },
  {
    responder: "crlfFramingByteByByte",
    serverDoes: "sends a CRLF stream one byte per packet (chunks end between CR and LF)",
    call: "events",
    expect: { value: eventsEndingWith("done"), says: theRun },
  },
  { responder: "byteOrderMark", serverDoes: "starts the stream with a UTF-8 BOM", call: "events", expect: { value: eventsEndingWith("done"), says: theRun } },
  {
    responder: "utf8SplitAcrossChunks",
    serverDoes: "splits multi-byte UTF-8 characters across packets",
    call: "events",
    expect: { value: eventsEndingWith(UNICODE_RESULT), says: "the result with every character intact" },
  },
  {
    responder: "everySseFeature",
    serverDoes: "sends comments, multi-line data, id and retry fields, an unknown field and event, and a payload key named type",
    call: "events",
    expect: {
      value: (value) => {
        const events = value as StreamEvent[];
        const started = events[0];
        if (started?.type !== "run_started" || started.executionId !== "exec-1") return `the multi-line run_started was not read: ${JSON.stringify(started)}`;
        return eventsEndingWith("done")(value);
      },
      says: "the known events (the unknown one skipped, type never overridden)",
    },
  },
  {
    responder: "hugeEvent",
    serverDoes: "sends one 5 MB event",
    call: "steps",
    expect: {
      value: (value) => {
        const output = (value as StepCompleted[])[0]?.output;
        return typeof output === "string" && output.length === HUGE_EVENT_CHARS ? undefined : `the 5 MB output did not arrive whole (${String(output).length} characters)`;
      },
      says: "the step with its 5 MB output whole",
    },
  },
  {
    responder: "eventBeyondLimit",
    serverDoes: "sends one event of 40 MB, past the client's 32 MiB limit",
    call: "events",
    expect: { error: "APIConnectionError", code: "EVENT_TOO_LARGE", message: /exceeded/, says: "APIConnectionError EVENT_TOO_LARGE" },
  },
  {
    responder: "silentForever",
    serverDoes: "sends one event, then nothing, and never closes",
    call: "events",
    timeoutMs: 300,
    expect: { error: "APITimeoutError", code: "TIMEOUT", message: /timed out after 300 ms/, says: "APITimeoutError after the 300 ms idle timeout" },
  },
  {
    responder: "heartbeatsForever",
    serverDoes: "sends keep-alive comments every 50 ms and never another event",
    call: "events",
    timeoutMs: 300,
    expect: { error: "APITimeoutError", code: "TIMEOUT", message: /300 ms/, says: "APITimeoutError: comments are not events" },
  },
  {
    responder: "endsWithoutTerminalEvent",
    serverDoes: "ends the stream without a pause or terminal event",
    call: "events",
    requests: 1,
    expect: { error: "APIConnectionError", code: "STREAM_INCOMPLETE", message: /ended before the step finished/, says: "APIConnectionError STREAM_INCOMPLETE, not re-requested" },
  },
  {
    responder: "pausesWithoutProgress",
    serverDoes: "answers every /step with step_paused, having completed no step",
    call: "events",
    requests: 1,
    expect: { error: "FlowExecutionError", code: "INVALID_EVENT", message: /paused the run without completing a step/, says: "FlowExecutionError INVALID_EVENT, not asked again" },
  },
  {
    responder: "malformedEventData",
    serverDoes: "sends a step_completed whose data is not JSON",
    call: "events",
    expect: { error: "FlowExecutionError", code: "INVALID_EVENT", message: /malformed "step_completed" event/, says: "FlowExecutionError INVALID_EVENT" },
  },
  {
    responder: "eventMissingFields",
    serverDoes: "sends a step_completed without its stepId",
    call: "steps",
    expect: { error: "FlowExecutionError", code: "INVALID_EVENT", message: /stepId/, says: "FlowExecutionError INVALID_EVENT" },
  },
];
