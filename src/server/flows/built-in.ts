import broken from "./examples/broken.json" with { type: "json" };
import hello from "./examples/hello.json" with { type: "json" };
import research from "./examples/research.json" with { type: "json" };
import retryLoop from "./examples/retry-loop.json" with { type: "json" };
import slow from "./examples/slow.json" with { type: "json" };
import twoStep from "./examples/two-step.json" with { type: "json" };
import weather from "./examples/weather.json" with { type: "json" };
import type { FlowDefinition } from "./types.js";
import { assertFlow } from "./validate.js";

// The JSON files are bundled into the build; they are validated like user files
// so a mistake in an example fails loudly, at the first call.
const files: Record<string, unknown> = {
  "hello.json": hello,
  "two-step.json": twoStep,
  "weather.json": weather,
  "slow.json": slow,
  "broken.json": broken,
  "retry-loop.json": retryLoop,
  "research.json": research,
};

/** The example flows served with no configuration, under `examples/demo`. */
export function builtInFlows(): FlowDefinition[] {
  return Object.entries(files).map(([name, value]) => structuredClone(assertFlow(value, `built-in/${name}`)));
}
