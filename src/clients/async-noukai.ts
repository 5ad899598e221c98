import type { FlowIdentifier } from "../core/flow-ref.js";
import type { ClientOptions } from "../core/options.js";
import type { ResumeArgs } from "../core/stream-events.js";
import { AsyncDriver } from "../drivers/async/async-driver.js";
import { ScopeRegistry } from "../drivers/async/run-scope.js";
import { CLIENT_CLOSED } from "../drivers/transport/transport-errors.js";
import type { Transport } from "../drivers/transport/transport.js";
import type { AsyncFlow } from "./async-types.js";
import { ClientBase, chooseTransport } from "./shared/client-base.js";
import type { Driver, Started } from "./shared/driver.js";

/**
 * The asynchronous Noukai client.
 *
 * ```ts
 * const client = new AsyncNoukai({ apiKey: "nk_…" });
 * const result = await client.flow("acme/support/triage").execute({ message: "hi" });
 * ```
 */
export class AsyncNoukai extends ClientBase {
  readonly #transport: Transport;
  readonly #scopes: ScopeRegistry;
  readonly #driver: Driver;

  constructor(options?: ClientOptions) {
    super(options, "AsyncNoukai");
    this.#transport = chooseTransport(this.resolved);
    this.#scopes = new ScopeRegistry(this.resolved.signal);
    this.#driver = asyncDriver(new AsyncDriver(this.#transport, this.#scopes), this.config.now);
  }

  protected get driver(): Driver {
    return this.#driver;
  }

  /** A flow: `"slug"` (with the client's defaults), `"org/project/slug"` or `{ org, project, slug }`. */
  flow(identifier: FlowIdentifier): AsyncFlow {
    return this.flowApi(identifier) as unknown as AsyncFlow;
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

function asyncDriver(runner: AsyncDriver, now: () => number): Driver {
  return {
    // `async`, so that a bad option rejects the promise instead of throwing at the call.
    async value<T, R>(start: () => Started<T>, then: (value: T) => R): Promise<R> {
      const started = start();
      return then(await runner.value(started.op, started.signal));
    },
    stream: (op, signal, present) => runner.stream(op, signal, present),
    adaptResume: (stage: (args: ResumeArgs) => void) => async (args: ResumeArgs) => stage(args),
    checkCallback: () => undefined,
    now,
  };
}
