import { delay } from "../engine/delay.js";
import { checkOptionNames, SERVER_APP_OPTION_NAMES } from "../option-names.js";
import type { ServerAppOptions } from "../options.js";
import { authenticate } from "./auth.js";
import type { FlowDefinition } from "../flows/types.js";
import { createContext, flowRegistry, type AppContext } from "./context.js";
import { consume, faultResponse } from "./faults.js";
import type { FaultPlan } from "../faults/injector.js";
import { toFetchResponse, fromFetchRequest } from "./fetch-adapter.js";
import { handleExecute } from "./handlers/execute.js";
import { handleJobs, handlePoll } from "./handlers/jobs.js";
import { handleLiveTrace } from "./handlers/live-trace.js";
import { handleLocalFlows } from "./handlers/local-flows.js";
import { handleSession } from "./handlers/session.js";
import { handleStep } from "./handlers/step.js";
import { handleRunSummary, handleStepTrace, handleTrace } from "./handlers/trace.js";
import { HttpError } from "./http-error.js";
import type { AppRequest, AppResponse } from "./http-types.js";
import type { OriginVerdict } from "./origin-policy.js";
import { decorate, errorResponse, preflight } from "./respond.js";
import { logged } from "./request-log.js";
import { quoted } from "./message-text.js";
import { newRequestId } from "./request-id.js";
import { matchRoute, type Route } from "./router.js";
import type { ServerStats } from "./stats.js";

/** The local server as an app: no sockets, just requests in and responses out. */
export interface ServerApp {
  fetch(request: Request): Promise<Response>;
  stats(): ServerStats;
  /**
   * Serves these flows from now on in place of the ones given before (beside
   * the built-in examples, as the `flows` option does); runs already started
   * keep the version they run. Throws FlowValidationError, changing nothing,
   * when one is invalid. `noukai dev` calls it when a flow file changes.
   */
  replaceFlows(flows: FlowDefinition[]): void;
  /** Stops everything: running steps, queued jobs (→ cancelled), open streams, timers. Idempotent. */
  close(): Promise<void>;
}

/** The Node binding's entry into the app, skipping the WHATWG Request/Response objects. */
export const handleAppRequest = Symbol("noukai.handleAppRequest");
/** listen() names the hosts it serves the app on, so that their names pass the Host check. */
export const serveOnHosts = Symbol("noukai.serveOnHosts");

export interface BindableServerApp extends ServerApp {
  [handleAppRequest](request: AppRequest): Promise<AppResponse>;
  [serveOnHosts](names: readonly string[]): void;
}

export function createServerApp(options: ServerAppOptions = {}): BindableServerApp {
  checkOptionNames(options, SERVER_APP_OPTION_NAMES, "createServerApp()");
  const ctx = createContext(options);
  const sweeper = setInterval(() => {
    ctx.runs.sweep();
    ctx.sessions.sweep();
    ctx.idempotency.sweep();
  }, 30_000);
  sweeper.unref?.();
  let closed: Promise<void> | undefined;

  // One promise per request beyond the handler's own waits: what no handler awaits runs in this turn.
  const handle = (request: AppRequest): Promise<AppResponse> => {
    const startedAt = options.onRequest === undefined ? 0 : performance.now();
    const requestId = newRequestId();
    const origin = ctx.origins.check(request.header("origin"));
    const finish = (response: AppResponse): AppResponse => {
      // With a data directory, what this request changed is written before its answer goes out: a client that got an
      // answer (an idempotent one above all) and retries after a crash finds that state, never a second execution.
      ctx.persistence.flush();
      const answer = decorate(response, requestId, origin);
      return options.onRequest === undefined ? answer : logged(answer, request, requestId, startedAt, options.onRequest);
    };
    const refused = (error: unknown): AppResponse => {
      if (!(error instanceof HttpError)) throw error;
      return finish(errorResponse(error));
    };
    let response: AppResponse | Promise<AppResponse>;
    try {
      checkCaller(ctx, request, origin);
      response = dispatch(ctx, request, origin);
    } catch (error) {
      return settled(() => refused(error));
    }
    return response instanceof Promise ? response.then(finish, refused) : settled(() => finish(response));
  };

  return {
    [handleAppRequest]: handle,
    [serveOnHosts]: (names) => ctx.hosts.allowServed(names),
    fetch: async (request) => toFetchResponse(await handle(fromFetchRequest(request))),
    replaceFlows: (flows) => {
      ctx.registry = flowRegistry(options, flows);
    },
    stats: () => ({
      requests: { ...ctx.stats.requests },
      faults: { ...ctx.stats.faults },
      executionsStarted: ctx.stats.executionsStarted,
      idempotentReplays: ctx.stats.idempotentReplays,
      stored: {
        executions: ctx.runs.size,
        sessions: ctx.sessions.size,
        idempotencyRecords: ctx.idempotency.size,
        queuedJobs: ctx.jobs.waiting,
        runningJobs: ctx.jobs.running,
        openStreams: ctx.streams.size,
        executionBytes: ctx.runs.bytes,
        idempotencyBytes: ctx.idempotency.bytes,
        queuedJobBytes: ctx.jobs.waitingBytes,
        bodyBytesInFlight: ctx.bodies.used,
      },
    }),
    close: () => {
      closed ??= (async () => {
        clearInterval(sweeper);
        // The data directory keeps the state as it was before the stop: what the stop interrupts is reported after a restart as SERVER_RESTARTED.
        ctx.persistence.freeze();
        // Open streams watch this signal and end themselves, each with its proper last event.
        ctx.closing.abort(new DOMException("the server is closing", "AbortError"));
        await ctx.jobs.close();
        ctx.persistence.close();
      })();
      return closed;
    },
  };
}

/** The handler's answer as a promise, or its error as a rejection (never a throw). */
async function settled(answer: () => AppResponse): Promise<AppResponse> {
  return answer();
}

/**
 * Before anything else: a request must name a host this server answers to
 * (DNS rebinding) and, when it comes from a web page, a page allowed to call
 * it. Refusals carry no CORS headers, so the page cannot even read them.
 */
function checkCaller(ctx: AppContext, request: AppRequest, origin: OriginVerdict): void {
  const host = request.header("host");
  if (!ctx.hosts.allows(host)) {
    ctx.stats.request("refused");
    throw new HttpError(
      403,
      "HOST_NOT_ALLOWED",
      `this server does not answer to the host ${quoted(host ?? "")}: a web page can point a name of its own at this machine (DNS rebinding). Call it by localhost or an IP address, or allow the name (noukai dev --allowed-host NAME, or the allowedHosts option)`,
    );
  }
  if (origin.kind === "refused") {
    ctx.stats.request("refused");
    throw new HttpError(
      403,
      "ORIGIN_NOT_ALLOWED",
      `web pages from ${quoted(request.header("origin") ?? "")} may not call this server; allow that origin with noukai dev --cors ORIGIN (or the cors option)`,
    );
  }
}

/** The route's answer; at once when nothing had to wait, else a promise of it (a sync throw is a refusal). */
function dispatch(ctx: AppContext, request: AppRequest, origin: OriginVerdict): AppResponse | Promise<AppResponse> {
  if (request.method === "OPTIONS") {
    ctx.stats.request("preflight");
    return preflight(origin, request.header("access-control-request-private-network") === "true");
  }
  let route: Route;
  try {
    route = matchRoute(request.method, request.path);
  } catch (error) {
    ctx.stats.request("unmatched");
    throw error;
  }
  ctx.stats.request(route.kind);
  if (ctx.closing.signal.aborted) throw new HttpError(503, "SERVER_CLOSING", "the server is shutting down", { "retry-after": "1" });
  // The server's own route, not the API's: no faults, which mimic the service.
  if (route.kind === "localFlows") return handleLocalFlows(authenticate(ctx, request, route), ctx.registry.list());
  const plan = ctx.faults.plan(route.kind);
  if (plan.kinds.length === 0) return handleRoute(ctx, request, route, undefined);
  return withFaults(ctx, request, route, plan);
}

async function withFaults(ctx: AppContext, request: AppRequest, route: Exclude<Route, { kind: "localFlows" }>, plan: FaultPlan): Promise<AppResponse> {
  plan.kinds.forEach((kind) => ctx.stats.fault(kind));
  if (plan.latencyMs > 0) {
    await delay(plan.latencyMs, ctx.closing.signal).catch(() => undefined);
  }
  const action = plan.action;
  if (action?.status !== undefined) return faultResponse(action, route.kind, ctx.now());
  if (action?.reset === "before") return { status: 0, headers: {}, body: null, reset: true };
  const response = await handleRoute(ctx, request, route, action?.cutAfterEvents);
  if (action?.reset === "after") {
    await consume(response);
    return { status: 0, headers: {}, body: null, reset: true };
  }
  return response;
}

function handleRoute(ctx: AppContext, request: AppRequest, route: Exclude<Route, { kind: "localFlows" }>, cutAfterEvents: number | undefined): AppResponse | Promise<AppResponse> {
  const caller = authenticate(ctx, request, route);
  if (ctx.limiter) {
    const verdict = ctx.limiter.take(caller.keyId);
    if (!verdict.allowed) {
      throw new HttpError(429, "RATE_LIMITED", `rate limit exceeded for this API key; retry in ${verdict.retryAfterSeconds} s`, {
        "retry-after": String(verdict.retryAfterSeconds),
      });
    }
  }
  switch (route.kind) {
    case "execute":
      return handleExecute(ctx, request, route, caller);
    case "step":
      return handleStep(ctx, request, route, caller, cutAfterEvents);
    case "jobs":
      return handleJobs(ctx, request, route, caller);
    case "poll":
      return handlePoll(ctx, route);
    case "runSummary":
      return handleRunSummary(ctx, route);
    case "trace":
      return handleTrace(ctx, route);
    case "stepTrace":
      return handleStepTrace(ctx, request, route);
    case "liveTrace":
      return handleLiveTrace(ctx, route, cutAfterEvents);
    case "session":
      return handleSession(ctx, route, caller);
  }
}
