import type { ToolHandlerEnd } from "../core/middleware.js";
import type { OtelContext, OtelSpan } from "../core/telemetry-types.js";
import type { ToolCall } from "../core/types.js";
import { errorMessage, errorType } from "./error-type.js";
import { SPAN_KIND, SPAN_STATUS } from "./otel-api-shape.js";
import { jsonTextPayload } from "./payloads.js";
import { field, text } from "./read.js";
import type { Telemetry } from "./setup.js";

/**
 * One `execute_tool` span (the GenAI conventions' tool execution) per tool
 * call a `toolHandler` run answers, so that client-side tools show in the
 * trace: opened when the handler is called, ended when it answers or throws.
 * A handler answers a round's calls together, so its calls' spans share their
 * times. Returns what ends them.
 */
export function startToolSpans(
  telemetry: Telemetry,
  toolCalls: readonly ToolCall[],
  parent: OtelContext,
  stepId: string | undefined,
): (end: ToolHandlerEnd) => void {
  const spans = toolCalls.map((call) => {
    const name = text(field(field(call, "function"), "name")) ?? "";
    const span = telemetry.tracer.startSpan(
      name === "" ? "execute_tool" : `execute_tool ${name}`,
      {
        kind: SPAN_KIND.internal,
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": name,
          "gen_ai.tool.call.id": text(field(call, "id")),
          "gen_ai.tool.type": "function",
          "noukai.step.id": stepId,
        },
      },
      parent,
    );
    if (telemetry.payloads) {
      const shown = jsonTextPayload(field(field(call, "function"), "arguments"), telemetry.redact, telemetry.scrubKey);
      if (shown !== undefined) span.setAttribute("gen_ai.tool.call.arguments", shown);
    }
    return { span, id: text(field(call, "id")) };
  });
  return (end) => {
    for (const { span, id } of spans) endToolSpan(telemetry, span, id, end);
  };
}

function endToolSpan(telemetry: Telemetry, span: OtelSpan, id: string | undefined, end: ToolHandlerEnd): void {
  try {
    if (end.outcome === "error") {
      span.setAttribute("error.type", errorType(end.error));
      if (end.error instanceof Error) span.recordException(end.error);
      span.setStatus({ code: SPAN_STATUS.error, message: errorMessage(end.error) });
      return;
    }
    span.setStatus({ code: SPAN_STATUS.ok });
    if (!telemetry.payloads) return;
    const shown = jsonTextPayload(resultFor(end.results, id), telemetry.redact, telemetry.scrubKey);
    if (shown !== undefined) span.setAttribute("gen_ai.tool.call.result", shown);
  } finally {
    span.end();
  }
}

/** The handler's answer to one call: its `output` or `content`, in any of the spellings a result may use. */
function resultFor(results: unknown, id: string | undefined): unknown {
  if (!Array.isArray(results)) return undefined;
  const result: unknown = results.find((item: unknown) => (text(field(item, "toolCallId")) ?? text(field(item, "tool_call_id"))) === id);
  const output = field(result, "output");
  return output !== undefined ? output : field(result, "content");
}
