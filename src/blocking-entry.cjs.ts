/**
 * `noukai/blocking` as CommonJS: starts the blocking client's I/O thread,
 * then loads the package (see ./blocking-entry.ts for why the thread goes
 * first). `require` loads in order, so the package simply follows; its
 * exports are `./blocking.ts`'s, as they are.
 */
import { warmIoThread } from "./drivers/sync/warm-io-thread.js";

warmIoThread(new URL("./sync-worker.cjs", import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require("./blocking.cjs") as unknown;
