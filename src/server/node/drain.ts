import type { ServerResponse } from "node:http";

/**
 * Resolves when the response can take more (`drain`), or when it will never
 * need to (closed, failed, ended): a client that leaves must not leave a
 * writer waiting for good.
 */
export function untilDrainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded || !res.writableNeedDrain) return resolve();
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      res.off("error", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
    res.once("error", done);
  });
}
