import type { CoreConfig } from "../../core/config.js";
import { parseFlowIdentifier, type FlowIdentifier } from "../../core/flow-ref.js";
import { CALL_OPTIONS, checkOptions } from "../../core/check-options.js";
import { fetchSession } from "../../core/operations/sessions.js";
import type { CallOptions } from "../../core/options.js";
import type { Session } from "../../core/types.js";
import type { Mode, Value } from "../types/modes.js";
import type { Driver } from "./driver.js";
import { FlowApi } from "./flow-api.js";
import { clientConfigs } from "./internals.js";
import { same } from "./job-api.js";
import { type ResolvedClient, resolveClientOptions } from "./resolve-options.js";

/**
 * What both clients share: resolved options, `flow()`, and knowing whether
 * the client was closed. Everything is held in private fields: nothing of
 * the key, the transport or the base URL is reachable or serialised.
 */
export abstract class ClientBase<M extends Mode> {
  readonly #resolved: ResolvedClient;
  #closed = false;

  protected constructor(options: unknown, clientName: string) {
    this.#resolved = resolveClientOptions(options, clientName, (flow, executionId) => this.#stepTrace(flow, executionId));
    clientConfigs.set(this, this.#resolved.config);
  }

  /** Default organisation for `flow("slug")`, or `null`. */
  get defaultOrg(): string | null {
    return this.#resolved.defaults.org;
  }

  /** Default project for `flow("slug")`, or `null`. */
  get defaultProject(): string | null {
    return this.#resolved.defaults.project;
  }

  protected get resolved(): ResolvedClient {
    return this.#resolved;
  }

  protected abstract get driver(): Driver<M>;

  protected get config(): CoreConfig {
    return this.#resolved.config;
  }

  /**
   * A captured session: the executions tagged with its id (`X-Session-Id`,
   * or a capture scope's), with their steps' snapshots. The id must be a UUID.
   */
  session(sessionId: string, options?: CallOptions): Value<M, Session> {
    return this.driver.value(() => {
      const checked = checkOptions(options, CALL_OPTIONS, "session()");
      return { op: fetchSession(this.#resolved.config, sessionId, checked), signal: checked.signal };
    }, same);
  }

  protected flowApi(identifier: FlowIdentifier): FlowApi<M> {
    const flow = parseFlowIdentifier(identifier, this.#resolved.defaults);
    return new FlowApi({ config: this.#resolved.config, flow }, this.driver);
  }

  /**
   * `otelSteps`: an ended run's trace, fetched as a call of this client (a
   * promise with `AsyncNoukai`). Not inside a capture or replay scope, whose
   * recording must hold only the caller's own calls.
   */
  #stepTrace(flow: { org: string; project: string; slug: string }, executionId: string): unknown {
    if (this.#closed || this.#resolved.config.ambient() !== undefined) return undefined;
    return this.flowApi(flow).run(executionId).trace();
  }

  protected get isClosed(): boolean {
    return this.#closed;
  }

  /** Marks the client closed; returns false when it already was. The subclass cancels its calls. */
  protected markClosed(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    return true;
  }
}
