/**
 * SSE frames that cannot be malformed. A frame is `event: NAME\ndata: JSON\n\n`
 * with LF line ends only; the name is a plain identifier and the data is one
 * line of JSON for a plain object that also carries `eventType: NAME` and never
 * a top-level `type` key (which the official TypeScript client would mistake
 * for the event's type). The only way to get an `SseFrame` is through these
 * functions, so a writer that accepts only `SseFrame`s never sends a bad one.
 */
declare const frameBrand: unique symbol;
export type SseFrame = string & { readonly [frameBrand]: true };

const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const COMMENT_TEXT = /^[^\r\n]*$/;
const LINE_BREAK = /[\r\n]/;
/** Each checked name's frame start, `event: NAME\ndata: {"eventType":"NAME",`, built once. */
const framePrefixes = new Map<string, string>();

export class SseFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SseFrameError";
  }
}

/** The frame start of `name`, checked and built at its first use. */
function framePrefix(name: string): string {
  let prefix = framePrefixes.get(name);
  if (prefix === undefined) {
    if (!EVENT_NAME.test(name)) throw new SseFrameError(`invalid SSE event name ${JSON.stringify(name)}`);
    prefix = `event: ${name}\ndata: {"eventType":"${name}",`;
    framePrefixes.set(name, prefix);
  }
  return prefix;
}

export function formatEvent(name: string, payload: object): SseFrame {
  const prefix = framePrefix(name);
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new SseFrameError(`the payload of "${name}" must be a JSON object`);
  }
  if (Object.hasOwn(payload, "type")) throw new SseFrameError(`the payload of "${name}" must not have a top-level "type" key`);
  const own = (payload as { eventType?: unknown }).eventType;
  if (own !== undefined && own !== name) throw new SseFrameError(`payload eventType ${JSON.stringify(own)} disagrees with event "${name}"`);
  const json: unknown = JSON.stringify(payload);
  if (typeof json !== "string" || json[0] !== "{") throw new SseFrameError(`the payload of "${name}" did not serialise to a JSON object`);
  // JSON.stringify escapes CR and LF inside strings, so this holds by construction;
  // it is checked anyway (one scan) because a broken frame would silently drop events.
  if (LINE_BREAK.test(json)) throw new SseFrameError(`the payload of "${name}" contains a line break`);
  if (own !== undefined) return `event: ${name}\ndata: ${json}\n\n` as SseFrame;
  if (json === "{}") return `event: ${name}\ndata: {"eventType":"${name}"}\n\n` as SseFrame;
  // The payload's own fields follow eventType: its JSON less the opening brace.
  return `${prefix}${json.slice(1)}\n\n` as SseFrame;
}

/**
 * A frame whose payload the caller has serialised itself as JSON object
 * members (`"key":value,…`, each value from JSON.stringify, no `type` key):
 * the engine's own events, on the path of every streamed step, where building
 * the payload object only to serialise it again cost a quarter of the time.
 * The name is checked as formatEvent checks it; the members are not scanned
 * for line breaks, which JSON.stringify never leaves unescaped (the scan
 * would also copy every frame once more before it is written).
 */
export function formatEventMembers(name: string, members: string): SseFrame {
  return `${framePrefix(name)}${members}}\n\n` as SseFrame;
}

/** A comment frame (`: text`), ignored by every SSE parser; used as a heartbeat. */
export function formatComment(text: string): SseFrame {
  if (!COMMENT_TEXT.test(text)) throw new SseFrameError("an SSE comment must be a single line");
  return `: ${text}\n\n` as SseFrame;
}
