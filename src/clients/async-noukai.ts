import { CLIENT_CLOSED } from "../core/client-errors.js";
import type { FlowIdentifier } from "../core/flow-ref.js";
import type { ClientOptions } from "../core/options.js";
import { AsyncDriver } from "../drivers/async/async-driver.js";
import { ScopeRegistry } from "../drivers/async/run-scope.js";
import { FetchTransport } from "../drivers/transport/fetch-transport.js";
import type { Transport } from "../drivers/transport/transport.js";
import { defaultTransport, moduleTransport } from "./runtime/node.js";
import { ClientBase } from "./shared/client-base.js";
import type { Driver, Started } from "./shared/driver.js";
import { pausedWithResume } from "./shared/presented.js";
import type { ResolvedClient } from "./shared/resolve-options.js";
import type { AsyncMode } from "./types/modes.js";
import type { AsyncFlow } from "./types/surfaces.js";

/**
 * The asynchronous Noukai client.
 *
 * ```ts
 * const client = new AsyncNoukai({ apiKey: "nk_…" });
 * const result = await client.flow("acme/support/triage").execute({ message: "hi" });
 * ```
 */
export class AsyncNoukai extends ClientBase<AsyncMode> {
  readonly #transport: Transport;
  readonly #scopes: ScopeRegistry;
  readonly #driver: Driver<AsyncMode>;

  constructor(options?: ClientOptions) {
    super(options, "AsyncNoukai");
    this.#transport = chooseTransport(this.resolved);
    this.#scopes = new ScopeRegistry(this.resolved.signal);
    this.#driver = asyncDriver(new AsyncDriver(this.#transport, this.#scopes), this.config.now);
  }

  protected get driver(): Driver<AsyncMode> {
    return this.#driver;
  }

  /** A flow: `"slug"` (with the client's defaults), `"org/project/slug"` or `{ org, project, slug }`. */
  flow(identifier: FlowIdentifier): AsyncFlow {
    return this.flowApi(identifier);
  }

  /** Cancels calls in flight and frees every connection. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.markClosed()) return;
    this.#scopes.cancelAll(CLIENT_CLOSED);
    this.#transport.close();
  }

  /** The same as `close()`. */
  aclose(): Promise<void> {
    return this.close();
  }

  /** `await using client = new AsyncNoukai()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The runtime's fastest transport (keep-alive `node:http` and undici on Node); a caller's `fetch` or `fetchModule` wins. */
function chooseTransport(resolved: ResolvedClient): Transport {
  const { baseUrl, fetch, fetchModule, maxConnections } = resolved;
  if (fetch !== undefined) return new FetchTransport(baseUrl, fetch);
  if (fetchModule !== undefined) return moduleTransport(baseUrl, fetchModule);
  return defaultTransport(baseUrl, maxConnections);
}

function asyncDriver(runner: AsyncDriver, now: () => number): Driver<AsyncMode> {
  return {
    value<T, R>(start: () => Started<T>, then: (value: T) => R): Promise<R> {
      let started: Started<T>;
      try {
        started = start();
      } catch (error) {
        // A bad option rejects the promise: an async call never throws at the call itself.
        const failure = error as Error;
        return Promise.reject(failure);
      }
      return runner.value(started.op, started.signal, then);
    },
    stream: (op, signal, present) => runner.stream(op, signal, present),
    pausedResult: (state, resume) => pausedWithResume(state, resume),
    toolPause: (pause) => ({ ...pause, resume: async (args) => pause.resume(args) }),
    checkCallback: () => undefined,
    now,
  };
}
