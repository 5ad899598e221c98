// The public `noukai/server` entry: the local Noukai server.
export { createServerApp, type ServerApp } from "./app/create-app.js";
export type { ServerStats } from "./app/stats.js";
export { listen, type FetchApp, type ListenOptions, type ListeningServer } from "./node/listen.js";
export { startServer, type RunningServer } from "./node/start-server.js";
export { exposureWarnings } from "./node/exposure.js";
export { splitServerOptions } from "./node/split-options.js";
export { loadFlowsFromDir } from "./flows/loader.js";
export { builtInFlows } from "./flows/built-in.js";
export { FlowValidationError, validateFlow, type FlowProblem } from "./flows/validate.js";
export { parseFaultFlag } from "./faults/parse.js";
export { DataDirError } from "./persist/data-dir-error.js";
export type { FaultRoute, FaultRule, FaultKind } from "./faults/rules.js";
export type {
  FlowDefinition,
  FlowVersionDefinition,
  PublishedVersionDefinition,
  StepDefinition,
  StepToolsDefinition,
  ToolCallScript,
  TemplateValue,
  JsonValue,
} from "./flows/types.js";
export type { ApiKeyRule, AppOptions, RequestLogEntry, ServerAppOptions, ServerOptions } from "./options.js";
export type { RateLimit } from "./state/rate-limiter.js";
