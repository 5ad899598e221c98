import { cancelled, CLIENT_CLOSED } from "../core/client-errors.js";
import { NoukaiError, ValueError } from "../core/errors.js";
import type { FlowIdentifier } from "../core/flow-ref.js";
import type { ClientOptions } from "../core/options.js";
import { SyncDriver } from "../drivers/sync/sync-driver.js";
import type { WorkerBridge } from "../drivers/sync/worker-bridge.js";
import { blockingBridge } from "./runtime/node.js";
import { ClientBase } from "./shared/client-base.js";
import type { Driver, Started } from "./shared/driver.js";
import type { ResolvedClient } from "./shared/resolve-options.js";
import { pausedWithResume } from "./shared/presented.js";
import type { SyncMode } from "./types/modes.js";
import type { Flow } from "./types/surfaces.js";

/** How long the constructor waits for the I/O worker to take a `fetchModule` (its start included), and `close()` to let go of a client. */
const SETUP_COMMAND_MS = 10_000;

/**
 * The blocking Noukai client: every call returns its value, every stream is
 * a plain iterator whose `next()` waits for the next event. The caller's
 * thread waits on `Atomics.wait` while a worker thread does the I/O, so a
 * local server started in this process (on its own thread) still answers.
 *
 * ```ts
 * const client = new Noukai({ apiKey: "nk_…" });
 * const result = client.flow("acme/support/triage").execute({ message: "hi" });
 * ```
 */
export class Noukai extends ClientBase<SyncMode> {
  readonly #bridge: WorkerBridge;
  readonly #transport: number;
  readonly #driver: Driver<SyncMode>;

  constructor(options?: ClientOptions) {
    // Where a blocking client cannot exist, that is the one thing to say, whatever the options.
    const bridge = blockingBridge();
    super(options, "Noukai");
    if (this.resolved.fetch !== undefined) {
      throw new ValueError(
        "new Noukai() cannot use a fetch function: it sends requests from its I/O thread, which cannot call a function of yours. " +
          "Pass fetchModule (a module whose export fetch the I/O thread imports), answer requests with a middleware, or use AsyncNoukai.",
      );
    }
    this.#bridge = bridge;
    this.#transport = register(this.#bridge, this.resolved);
    const clientSignal = this.resolved.signal;
    const runner = new SyncDriver(this.#bridge, this.#transport, () => {
      if (this.isClosed) return cancelled("The call", CLIENT_CLOSED);
      if (clientSignal?.aborted) return cancelled("The call", clientSignal.reason);
      return undefined;
    });
    this.#driver = syncDriver(runner, this.config.now);
  }

  protected get driver(): Driver<SyncMode> {
    return this.#driver;
  }

  /** A flow: `"slug"` (with the client's defaults), `"org/project/slug"` or `{ org, project, slug }`. */
  flow(identifier: FlowIdentifier): Flow {
    return this.flowApi(identifier);
  }

  /** Frees this client's connections. Safe to call twice; calls made afterwards fail. */
  close(): void {
    if (!this.markClosed()) return;
    this.#bridge.request({ type: "unregister", transport: this.#transport }, SETUP_COMMAND_MS);
  }

  /** The same as `close()` (the name `AsyncNoukai` also has). */
  aclose(): void {
    this.close();
  }

  /** `using client = new Noukai()` closes it at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using` works too. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** Numbers the clients' transports in the I/O worker, which one thread's clients share. */
let lastTransport = 0;

/**
 * This client's transport in the I/O worker. Over the network, nothing waits
 * for it: the worker sets it up before the next command, so a first call
 * goes right behind it, prepared while the worker starts. A `fetchModule` is
 * imported and checked first, and one that cannot be used is refused here,
 * at construction.
 */
function register(bridge: WorkerBridge, { baseUrl, fetchModule, maxConnections }: ResolvedClient): number {
  const command = { type: "register", transport: ++lastTransport, baseUrl: baseUrl.href, fetchModule, maxConnections } as const;
  if (fetchModule === undefined) {
    bridge.send(command);
    return command.transport;
  }
  try {
    bridge.request(command, SETUP_COMMAND_MS);
    return command.transport;
  } catch (error) {
    throw new ValueError(`new Noukai() option fetchModule ${fetchModule} could not be used: ${(error as Error).message}`);
  }
}

function syncDriver(runner: SyncDriver, now: () => number): Driver<SyncMode> {
  function value<T, R>(start: () => Started<T>, then: (value: T) => R): R {
    try {
      const started = start();
      return then(runner.value(started.op, started.signal));
    } catch (error) {
      // The SDK's own frames are many and say nothing to the caller: the stack starts at the caller's call instead.
      if (error instanceof NoukaiError) Error.captureStackTrace(error, value);
      throw error;
    }
  }
  return {
    value,
    stream: (op, signal, present) => runner.stream(op, signal, present),
    pausedResult: (state, resume) => pausedWithResume(state, resume),
    toolPause: (pause) => pause,
    checkCallback: (fn, where) => {
      if (typeof fn === "function" && fn.constructor?.name === "AsyncFunction") {
        throw new TypeError(
          `${where} is an async function, but the blocking Noukai client runs it on the caller's thread and cannot wait for it. ` +
            "Make it synchronous, or use AsyncNoukai.",
        );
      }
    },
    now,
  };
}
