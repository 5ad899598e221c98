import { parseFlowIdentifier, type FlowIdentifier } from "../../core/flow-ref.js";
import type { CoreConfig } from "../../core/config.js";
import { FetchTransport } from "../../drivers/transport/fetch-transport.js";
import type { Transport } from "../../drivers/transport/transport.js";
import { defaultTransport } from "../../platform/node.js";
import type { Driver } from "./driver.js";
import { FlowApi } from "./flow-api.js";
import { type ResolvedClient, resolveClientOptions } from "./resolve-options.js";

/**
 * What both clients share: resolved options, `flow()`, and knowing whether
 * the client was closed.
 */
export abstract class ClientBase {
  /** Default organisation for `flow("slug")`, or `null`. */
  readonly defaultOrg: string | null;
  /** Default project for `flow("slug")`, or `null`. */
  readonly defaultProject: string | null;
  // Private fields: nothing of the key, the transport or the base URL is reachable or serialised.
  readonly #resolved: ResolvedClient;
  #closed = false;

  protected constructor(options: unknown, clientName: string) {
    this.#resolved = resolveClientOptions(options, clientName);
    this.defaultOrg = this.#resolved.defaults.org;
    this.defaultProject = this.#resolved.defaults.project;
  }

  protected get resolved(): ResolvedClient {
    return this.#resolved;
  }

  protected abstract get driver(): Driver;

  protected get config(): CoreConfig {
    return this.resolved.config;
  }

  protected flowApi(identifier: FlowIdentifier): FlowApi {
    const flow = parseFlowIdentifier(identifier, this.resolved.defaults);
    return new FlowApi({ config: this.resolved.config, flow }, this.driver);
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

/** The runtime's fastest transport (keep-alive `node:http` on Node); a caller's `fetch` always wins. */
export function chooseTransport(resolved: ResolvedClient): Transport {
  if (resolved.fetch !== undefined) return new FetchTransport(resolved.baseUrl, resolved.fetch);
  return defaultTransport(resolved.baseUrl);
}
