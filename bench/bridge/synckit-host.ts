// The blocking client's worker commands, hosted by synckit instead of this
// SDK's WorkerBridge: the other side of the bridge comparison.
import { runAsWorker } from "synckit";
import { handle } from "../../src/drivers/sync/worker-commands.js";
import type { Command } from "../../src/drivers/sync/protocol.js";

runAsWorker((command: Command) => handle(command));
