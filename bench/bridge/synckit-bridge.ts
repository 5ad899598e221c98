import { fileURLToPath } from "node:url";
import { createSyncFn } from "synckit";
import { build } from "tsup";
import type { BlockingBridge, Command, ReplyValue } from "../../src/drivers/sync/protocol.js";

const OUT_DIR = fileURLToPath(new URL("../../.bench-tmp/", import.meta.url));

/**
 * Compiles the synckit host of the worker commands, like the SDK's own
 * worker: a worker that loads TypeScript through a loader deadlocks while
 * the main thread waits on `Atomics.wait`. Resolves to the compiled file.
 */
export async function buildSynckitHost(): Promise<string> {
  await build({
    entry: { "synckit-host": fileURLToPath(new URL("./synckit-host.ts", import.meta.url)) },
    format: ["esm"],
    outDir: OUT_DIR,
    target: "node18",
    silent: true,
    external: ["synckit"],
  });
  return `${OUT_DIR}synckit-host.js`;
}

/** A BlockingBridge over synckit's `createSyncFn`: every command, a discard too, waits for its answer. */
export function synckitBridge(hostFile: string): BlockingBridge {
  const call = createSyncFn<(command: Command) => Promise<ReplyValue>>(hostFile);
  return {
    request: (command) => call(command),
    send: (command) => void call(command),
  };
}
