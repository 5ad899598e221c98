import { randomUUID } from "node:crypto";
import { noukaiRelay, type RelayOptions } from "noukai/fetch";
import { afterEach } from "vitest";
import { type Served, serveFetch } from "./serve.js";
import { SECRET, type useRelayService, WEATHER, WEATHER_TOOLS } from "./relay-service.js";

/** A relay over loopback HTTP, its URL, and the session its runs are tagged with (what the local server recorded of them). */
export interface TestRelay {
  readonly url: string;
  readonly sessionId: string;
}

/** Relays served for one test file, closed after each test. */
export function useRelays(service: ReturnType<typeof useRelayService>): (options?: Partial<RelayOptions<Request>>, sessionId?: string) => Promise<TestRelay> {
  const served: Served[] = [];
  afterEach(async () => {
    await Promise.all(served.splice(0).map((server) => server.close()));
  });
  return async (options = {}, sessionId = randomUUID()) => {
    const relay = noukaiRelay({
      client: service.client({ sessionId }),
      flow: WEATHER,
      secret: SECRET,
      authorize: () => true,
      prepare: () => ({ tools: WEATHER_TOOLS }),
      ...options,
    });
    const server = await serveFetch(relay);
    served.push(server);
    return { url: `${server.url}/api/weather`, sessionId };
  };
}

/** What a browser (or anyone) can POST to a relay: raw, with the answer's status, headers and JSON. */
export async function post(url: string, body: unknown, options: { stream?: boolean; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown>; text: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: options.stream === true ? "text/event-stream" : "application/json", ...options.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An event stream, or not JSON: the text says.
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** The code of a relay's refusal. */
export function codeOf(answer: { json: Record<string, unknown> }): unknown {
  return (answer.json["detail"] as { code?: unknown } | undefined)?.code;
}

/** A whole-answer pause: the token and the id of its one call. */
export async function pausedWhole(url: string, message = "Weather in Oslo"): Promise<{ token: string; callId: string }> {
  const answer = await post(url, { message });
  if (answer.json["status"] !== "tool_calls_required") throw new Error(`expected a pause, got ${answer.text}`);
  const calls = answer.json["toolCalls"] as { id: string }[];
  return { token: answer.json["token"] as string, callId: calls[0]?.id ?? "" };
}

/** A streamed pause: the token from the stream's tool_calls_required event. */
export async function pausedStream(url: string, message = "Weather in Oslo"): Promise<{ token: string; callId: string }> {
  const answer = await post(url, { message }, { stream: true });
  const match = /event: tool_calls_required\ndata: (.*)\n/.exec(answer.text);
  if (match?.[1] === undefined) throw new Error(`expected a streamed pause, got ${answer.text}`);
  const data = JSON.parse(match[1]) as { token: string; toolCalls: { id: string }[] };
  return { token: data.token, callId: data.toolCalls[0]?.id ?? "" };
}

export function results(callId: string, output: unknown = "sunny"): { toolCallId: string; output: unknown }[] {
  return [{ toolCallId: callId, output }];
}

/** The token with one base64url character changed in its high bit, so the bytes it stands for change for sure. */
export function flipCharacter(token: string, index: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const at = index < 0 ? token.length + index : index;
  const char = token[at] ?? "A";
  const flipped = alphabet[alphabet.indexOf(char) ^ 32] ?? "A";
  return token.slice(0, at) + flipped + token.slice(at + 1);
}
