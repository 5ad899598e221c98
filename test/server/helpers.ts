import { expect } from "vitest";
import { createServerApp } from "../../src/server/app/create-app.js";
import { Execution, type ExecutionInput } from "../../src/server/engine/execution.js";
import type { FlowRegistry } from "../../src/server/flows/registry.js";
import type { ServerAppOptions } from "../../src/server/options.js";
import { jsonOf } from "../helpers/json-text.js";

export const KEY = "nk_test_key";
export const BASE = "http://local.test/api/v1";

export type TestApp = ReturnType<typeof createServerApp>;

export function makeApp(options: ServerAppOptions = {}): TestApp {
  return createServerApp(options);
}

/** A new execution of the registry's flow o/p/s, as /execute starts one: the caller's input over a plain message. */
export function executionOf(registry: FlowRegistry, input: Partial<ExecutionInput> = {}): Execution {
  const found = registry.resolve("o", "p", "s", { kind: "default" });
  if (!found.found) throw new Error("flow not found");
  return new Execution({
    id: "run-1",
    flow: found.flow,
    trigger: "execute",
    sessionId: undefined,
    org: "o",
    now: 0,
    eventLimit: 1000,
    input: { message: "hello world", messages: null, parameters: {}, inputOverrides: {}, blockOverrides: {}, tools: null, toolChoice: undefined, trace: false, ...input },
  });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  key?: string | null;
}

/** One request through the app's fetch; the body is read whole. */
export async function call(app: TestApp, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers.authorization ??= `Bearer ${options.key ?? KEY}`;
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  if (hasBody) headers["content-type"] ??= "application/json";
  const response = await app.fetch(
    new Request(`${BASE}${path}`, {
      method: options.method ?? (hasBody ? "POST" : "GET"),
      headers,
      ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
    }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: jsonOf(text) };
}

export const flowPath = (slug: string, suffix: string) => `/seq/examples/demo/${slug}${suffix}`;

export function post(app: TestApp, slug: string, action: string, body: unknown, extra: Omit<CallOptions, "body"> = {}) {
  return call(app, flowPath(slug, `/${action}`), { ...extra, body });
}

/** Asserts the error shape every refusal has, and returns it. */
export function expectError(answer: Answer, status: number, code: string): { code: string; message: string } {
  expect({ status: answer.status, code: answer.json?.detail?.code }).toEqual({ status, code });
  expect(typeof answer.json.detail.message).toBe("string");
  expect(answer.json.detail.message.length).toBeGreaterThan(5);
  expect(answer.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
  return answer.json.detail;
}

export interface SseEvent {
  event: string;
  data: any;
}

/** Strict SSE parsing: LF only, `event:` + one `data:` line of JSON per frame, comments allowed. */
export function parseSse(text: string): SseEvent[] {
  expect(text.includes("\r")).toBe(false);
  if (text === "") return [];
  expect(text.endsWith("\n\n")).toBe(true);
  const events: SseEvent[] = [];
  for (const frame of text.slice(0, -2).split("\n\n")) {
    if (frame.startsWith(":")) continue;
    const lines = frame.split("\n");
    expect(lines).toHaveLength(2);
    const [eventLine = "", dataLine = ""] = lines;
    expect(eventLine).toMatch(/^event: [a-z_]+$/);
    expect(dataLine.startsWith("data: {")).toBe(true);
    const event = eventLine.slice("event: ".length);
    const data = JSON.parse(dataLine.slice("data: ".length)) as Record<string, unknown>;
    expect(data.eventType).toBe(event);
    expect(Object.hasOwn(data, "type")).toBe(false);
    events.push({ event, data });
  }
  return events;
}

export const names = (events: SseEvent[]) => events.map((e) => e.event);

export const TERMINAL = ["step_paused", "step_paused_for_tool_calls", "step_error", "flow_completed"];

/** Every /step answer ends with exactly one terminal event. */
export function expectOneTerminal(events: SseEvent[]): string {
  const terminal = events.filter((e) => TERMINAL.includes(e.event));
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)?.event).toBe(terminal[0]?.event);
  return terminal[0]?.event ?? "";
}

export const WEATHER_TOOLS = [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }];

export function defer<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
