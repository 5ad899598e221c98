import type { ToolCall, ToolResult } from "../../dist/index.js";

/** What a real app would fetch from a weather service; fixed here so the report is the same every time. */
const FORECASTS: Record<string, { sky: string; tempC: number }> = {
  Lisbon: { sky: "sunny", tempC: 24 },
  Oslo: { sky: "snow", tempC: -3 },
};

/**
 * The demo's tool handler: answers each `get_weather` call the flow makes
 * with local code, and tells `onCall` what it was asked and what it said.
 */
export function weatherTool(onCall: (call: string, answer: unknown) => void): (calls: ToolCall[]) => ToolResult[] {
  return (calls) =>
    calls.map((call) => {
      const { location } = JSON.parse(call.function.arguments) as { location: string };
      const answer = FORECASTS[location] ?? { sky: "unknown", tempC: null };
      onCall(`${call.function.name}(${call.function.arguments})`, answer);
      return { toolCallId: call.id, output: answer };
    });
}
