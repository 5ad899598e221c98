import type { FlowDefinition } from "noukai/server";

/** Flows the contract tests add to the built-in examples. */
export const TEST_FLOWS: FlowDefinition[] = [
  {
    org: "tests",
    project: "contract",
    slug: "three-rounds",
    draft: {
      steps: [
        {
          id: "lookup",
          name: "Lookup",
          template: "no tools offered",
          tools: {
            calls: [{ name: "get_weather", arguments: { location: "{{message | lastWord}}" } }],
            rounds: 3,
            template: "after three rounds: {{tool.results}}",
          },
        },
      ],
    },
  },
  {
    org: "tests",
    project: "contract",
    slug: "params",
    draft: {
      steps: [
        { id: "greet", name: "Greet", template: "{{params.greeting}}, {{message}}!" },
        { id: "shout", name: "Shout", template: "{{steps.greet}} (tone: {{params.tone}})" },
      ],
    },
  },
  {
    org: "tests",
    project: "contract",
    slug: "gaps",
    draft: {
      steps: [
        { id: "one", template: "one", latencyMs: 400 },
        { id: "two", template: "two", latencyMs: 400 },
        { id: "three", template: "three", latencyMs: 400 },
      ],
    },
  },
];

export const WEATHER_TOOLS = [
  {
    type: "function",
    function: { name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
  },
];
