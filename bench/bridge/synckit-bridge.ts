import { fileURLToPath } from "node:url";
import { createSyncFn } from "synckit";
import { build } from "tsup";
import type { BlockingBridge, Command, ReplyValue } from "../../src/drivers/sync/protocol.js";

const OUT_DIR = fileURLToPath(new URL("../../.bench-tmp/", import.meta.url));

/**
 * A BlockingBridge over synckit's `createSyncFn`: every command, a discard
 * too, waits for its answer. Its worker is compiled first, like the SDK's
 * own worker: a worker that loads TypeScript through a loader deadlocks
 * while the main thread waits on `Atomics.wait`.
 */
export async function synckitBridge(): Promise<BlockingBridge> {
  await build({
    entry: { "synckit-host": fileURLToPath(new URL("./synckit-host.ts", import.meta.url)) },
    format: ["esm"],
    outDir: OUT_DIR,
    target: "node18",
    silent: true,
    external: ["synckit"],
  });
  const call = createSyncFn<(command: Command) => Promise<ReplyValue>>(`${OUT_DIR}synckit-host.js`);
  return {
    request: (command) => call(command),
    send: (command) => void call(command),
  };
}
