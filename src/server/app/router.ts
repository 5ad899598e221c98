import { HttpError } from "./http-error.js";

export type RouteKind = "execute" | "step" | "jobs" | "poll" | "runSummary" | "trace" | "stepTrace" | "liveTrace" | "session" | "localFlows";

/** The version segment of execute/step/jobs: none, or `/vN` (0 = draft). */
export type VersionSegment = number | undefined;

export interface FlowPath {
  org: string;
  project: string;
  slug: string;
}

export type Route =
  | { kind: "execute" | "step" | "jobs"; flow: FlowPath; version: VersionSegment }
  | { kind: "poll" | "runSummary" | "trace" | "liveTrace"; flow: FlowPath; executionId: string }
  | { kind: "stepTrace"; flow: FlowPath; executionId: string; stepId: string }
  | { kind: "session"; sessionId: string }
  /** This server's own: the flows it serves (`noukai flows`). Not part of the Noukai API. */
  | { kind: "localFlows" };

const PREFIX = "/api/v1/";
const LOCAL_FLOWS = "/api/v1/local/flows";
const ACTIONS = new Set(["execute", "step", "jobs"]);
const VERSION = /^v(0|[1-9]\d{0,8})$/;

/** Matches a path (still percent-encoded) and method; throws 404/405 as HttpError. */
export function matchRoute(method: string, rawPath: string): Route {
  const route = cachedRouteOf(rawPath);
  if (!route) throw new HttpError(404, "NOT_FOUND", `no route for ${method} ${rawPath}`);
  const allowed = route.kind === "execute" || route.kind === "step" || route.kind === "jobs" ? "POST" : "GET";
  if (method !== allowed && !(allowed === "GET" && method === "HEAD")) {
    throw new HttpError(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${rawPath}; use ${allowed}`, { allow: `${allowed}, OPTIONS` });
  }
  return route;
}

// Clients call the same few paths over and over: a path's route is worked out
// once (split, decoded, matched) and shared, frozen, by every later request.
// Bounded, and only short paths, so that odd paths cannot make it hold much.
const CACHED_ROUTES = 512;
const CACHEABLE_PATH_LENGTH = 256;
const routes = new Map<string, Route>();

function cachedRouteOf(rawPath: string): Route | undefined {
  const cached = routes.get(rawPath);
  if (cached !== undefined) return cached;
  const route = routeOf(rawPath);
  if (route === undefined || rawPath.length > CACHEABLE_PATH_LENGTH) return route;
  if (routes.size >= CACHED_ROUTES) routes.clear();
  if ("flow" in route) Object.freeze(route.flow);
  routes.set(rawPath, Object.freeze(route));
  return route;
}

function routeOf(rawPath: string): Route | undefined {
  if (rawPath === LOCAL_FLOWS) return { kind: "localFlows" };
  if (!rawPath.startsWith(PREFIX)) return undefined;
  const raw = rawPath.slice(PREFIX.length).split("/");
  if (raw[0] !== "seq" || raw.includes("")) return undefined;
  // Most paths have no percent-encoding: their segments are used as they are.
  const s = rawPath.includes("%") ? raw.map(decode) : raw;
  // Sessions first: `/seq/sessions/{id}` would otherwise never be reachable.
  if (s.length === 3 && s[1] === "sessions") return { kind: "session", sessionId: s[2] ?? "" };
  if (s.length < 5) return undefined;
  const flow: FlowPath = { org: s[1] ?? "", project: s[2] ?? "", slug: s[3] ?? "" };
  const [, , , , a = "", b, c, d, e] = s;
  if (s.length === 5 && ACTIONS.has(a)) return { kind: a as "execute" | "step" | "jobs", flow, version: undefined };
  if (s.length === 6 && b !== undefined && ACTIONS.has(b) && VERSION.test(a)) {
    return { kind: b as "execute" | "step" | "jobs", flow, version: Number(a.slice(1)) };
  }
  if (s.length === 6 && a === "jobs" && b) return { kind: "poll", flow, executionId: b };
  if (a !== "runs" || !b) return undefined;
  if (s.length === 6) return { kind: "runSummary", flow, executionId: b };
  if (s.length === 7 && c === "trace") return { kind: "trace", flow, executionId: b };
  if (s.length === 8 && c === "trace" && d === "stream") return { kind: "liveTrace", flow, executionId: b };
  if (s.length === 9 && c === "steps" && d && e === "trace") return { kind: "stepTrace", flow, executionId: b, stepId: d };
  return undefined;
}

function decode(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "BAD_REQUEST", `malformed percent-encoding in path segment "${segment}"`);
  }
}
