import { AsyncLocalStorage } from "node:async_hooks";
import { accessSync, closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Middleware } from "../../core/middleware.js";
import { WorkerBridge } from "../../drivers/sync/worker-bridge.js";
import { DeferredTransport } from "../../drivers/transport/deferred-transport.js";
import { importFetch } from "../../drivers/transport/fetch-module.js";
import { FetchTransport } from "../../drivers/transport/fetch-transport.js";
import { NodeTransport } from "../../drivers/transport/node-transport.js";
import type { Transport } from "../../drivers/transport/transport.js";
import type { ClientFactsForScopes, ClientRegistry } from "../shared/internals.js";
import { sharedByBuilds } from "./shared-by-builds.js";

/**
 * The runtime-specific pieces of the clients, for Node and runtimes
 * compatible with it: where the composition of the clients meets the
 * runtime. A browser build swaps this module for ./web.ts, which uses
 * `fetch` and has no blocking client.
 */
export function defaultTransport(baseUrl: URL, maxConnections: number): Transport {
  return new NodeTransport(baseUrl, maxConnections);
}

/** The fetch a `fetchModule` exports, imported at the first call. */
export function moduleTransport(baseUrl: URL, fetchModule: string): Transport {
  return new DeferredTransport(async () => new FetchTransport(baseUrl, await importFetch(fetchModule)), `fetchModule ${fetchModule}`);
}

let sharedBridge: WorkerBridge | undefined;

/**
 * The I/O worker of the blocking clients of this thread: one, started by
 * the first `Noukai`, shared by all of them (each has its own connections
 * inside it).
 */
export function blockingBridge(): WorkerBridge {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics?.wait !== "function") {
    throw new TypeError(
      "The blocking Noukai client needs SharedArrayBuffer and Atomics.wait, which this runtime does not offer. Use AsyncNoukai.",
    );
  }
  sharedBridge ??= new WorkerBridge(new URL("./sync-worker.cjs", import.meta.url));
  return sharedBridge;
}

const clientFacts = sharedByBuilds("client-facts@1", () => new WeakMap<object, ClientFactsForScopes>());

/**
 * The clients a scope recognises: one registry for both builds of the
 * package (ES module and CommonJS), so that a scope of one takes a client
 * made by the other. Being reachable from `globalThis`, it keeps only what
 * scopes read of a client, never its key.
 */
export const clientRegistry: ClientRegistry = {
  set: (client, config) => void clientFacts.set(client, { onLog: config.onLog }),
  get: (client) => clientFacts.get(client),
};

/** Whether scopes can run here: they need AsyncLocalStorage, which Node (and Bun, Deno, workerd) have. */
export const scopesAvailable = true;

/** What a scope (capture, replay) puts around the calls made inside it. */
export interface AmbientScope {
  readonly layer: Middleware;
  /**
   * Whether calls its code left running still find it once it has ended
   * (replay and record scopes, whose layer then refuses them: a replayed
   * call must never be made live). A capture's later calls are outside it.
   */
  readonly outlivesItsCode: boolean;
}

/**
 * The storage, its count of open scopes, and whether it must stay on: one for
 * both builds of the package, so a scope one opens is seen by a client of the other.
 */
const store = sharedByBuilds("ambient-scopes@2", () => ({ open: new AsyncLocalStorage<{ scope: AmbientScope; ended: boolean }>(), count: 0, kept: false }));

/**
 * The scopes open around the code that runs now, carried across `await`s
 * (AsyncLocalStorage): a call made inside `replayScope(fn)`, however deep,
 * finds its scope, and two concurrent scopes never see each other's.
 *
 * A scope ends when `fn` returns or its promise settles: code it left
 * running (a timer, a promise not awaited) makes its later calls outside a
 * capture, and into a replay or recording that refuses them (never live,
 * never into a cassette already written). On Node 20, while any
 * AsyncLocalStorage is in use, every promise and async resource the process
 * makes pays for carrying it (a call inside a scope costs about 8 µs more
 * CPU, measured with no network); so when the last scope ends, the storage
 * is switched off, and calls after it cost what they did before any scope.
 * Once a replay or record scope has run (a test process, mostly), it stays
 * on: switched off, it would lose those scopes' left-running code.
 */
export const ambientScopes = {
  run<T>(scope: AmbientScope, fn: () => T): T {
    const entry = { scope, ended: false };
    if (scope.outlivesItsCode) store.kept = true;
    const end = () => {
      entry.ended = true;
      if (--store.count === 0 && !store.kept) store.open.disable();
    };
    store.count++;
    let value: T;
    try {
      value = store.open.run(entry, fn);
    } catch (error) {
      end();
      throw error;
    }
    if (value instanceof Promise) return value.finally(end) as T;
    end();
    return value;
  },
  current(): AmbientScope | undefined {
    const entry = store.open.getStore();
    return entry === undefined || (entry.ended && !entry.scope.outlivesItsCode) ? undefined : entry.scope;
  },
};

/** Cassette files: read and written whole, synchronously (the blocking scope cannot wait on a promise). */
export const cassetteFiles = {
  exists: (path: string | URL): boolean => existsSync(path),
  /**
   * The text of a regular file. Anything else at the path (a FIFO, a device)
   * could block a synchronous read forever, and with it the whole process:
   * it is opened without blocking and refused.
   */
  read(path: string | URL): string {
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      if (!fstatSync(fd).isFile()) throw new Error("it is not a regular file");
      return readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  },
  /** Throws when something other than a regular file or a folder (refused on its own) is at the path; a path that cannot be looked at is the write's to report. */
  refuseSpecial(path: string | URL): void {
    let found: ReturnType<typeof statSync>;
    try {
      found = statSync(path, { throwIfNoEntry: false });
    } catch {
      return;
    }
    if (found !== undefined && !found.isFile() && !found.isDirectory()) throw new Error("it is not a regular file");
  },
  /** Makes the cassette's folder if need be and checks that a file can be written there, before a recording runs. */
  prepare(path: string | URL): void {
    const target = typeof path === "string" ? path : fileURLToPath(path);
    mkdirSync(dirname(target), { recursive: true });
    accessSync(dirname(target), constants.W_OK);
    if (existsSync(target) && statSync(target).isDirectory()) throw new Error("it is a folder");
  },
  /** Written beside, then renamed over: a crash mid-write never leaves half a cassette. Its folder is made if need be. */
  write(path: string | URL, text: string): void {
    const target = typeof path === "string" ? path : fileURLToPath(path);
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    writeFileSync(partial, text);
    renameSync(partial, target);
  },
};
