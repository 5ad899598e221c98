/* global document */
// The page: runs examples/demo/weather through the relay at /api/weather,
// shows each event as it streams in, and answers the flow's get_weather
// tool call right here, in the browser. No key is in the page: the relay
// holds it, and the run's state comes back to the relay sealed in a token.
import { createRelayFlow } from "noukai/relay";

const flow = createRelayFlow({ url: "/api/weather" });
const form = document.querySelector("#ask");
const input = document.querySelector("#message");
const list = document.querySelector("#events");
const result = document.querySelector("#result");
const error = document.querySelector("#error");

/** The tool, run by the page: a real one could read the device's location, a calendar, a form the user filled in. */
function getWeather({ location }) {
  return { location, sky: "sunny", tempC: 24, answeredBy: "the page" };
}

const toolHandler = (calls) => calls.map((call) => ({ toolCallId: call.id, output: getWeather(JSON.parse(call.function.arguments)) }));

form.addEventListener("submit", async (submitted) => {
  submitted.preventDefault();
  list.replaceChildren();
  result.textContent = "";
  error.hidden = true;
  document.body.dataset.state = "running";
  try {
    for await (const event of flow.events({ message: input.value, toolHandler })) show(event);
    document.body.dataset.state = "done";
  } catch (failure) {
    error.hidden = false;
    error.dataset.name = failure.name;
    error.dataset.code = failure.code ?? "";
    error.textContent = `${failure.name} (${failure.code ?? "no code"}): ${failure.message}`;
    document.body.dataset.state = "failed";
  }
});

function show(event) {
  const item = document.createElement("li");
  item.dataset.type = event.type;
  item.textContent = describe(event);
  list.append(item);
  if (event.type === "flow_completed") result.textContent = String(event.result);
}

function describe(event) {
  switch (event.type) {
    case "run_started":
      return `run started: ${event.stepCount} step(s)`;
    case "step_started":
      return `step ${event.stepIndex + 1} started: ${event.name ?? event.stepId}`;
    case "tool_calls_required":
      return `the flow asks this page: ${event.toolCalls.map((call) => `${call.function.name}(${call.function.arguments})`).join(", ")}`;
    case "step_completed":
      return `step ${event.stepIndex + 1} completed: ${JSON.stringify(event.output)}`;
    case "step_error":
      return `step failed: ${event.error?.message ?? "no reason given"}`;
    case "flow_completed":
      return "run completed";
    default:
      return event.type;
  }
}
