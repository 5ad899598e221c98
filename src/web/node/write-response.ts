import type { ServerResponse } from "node:http";

/**
 * A web `Response` written to Node's `ServerResponse`, streamed with
 * backpressure; if the connection closes first, the body is cancelled (a
 * relay's stream then ends its run's request). With `closeConnection`, the
 * connection ends after the answer, so an unread request body is never read.
 */
export async function writeResponse(res: ServerResponse, response: Response, options: { closeConnection: boolean }): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (options.closeConnection) res.setHeader("connection", "close");
  const body = response.body;
  if (body === null) {
    res.end();
    return;
  }
  const reader = body.getReader();
  const closed = new Promise<void>((resolve) => res.once("close", resolve));
  void closed.then(() => {
    if (!res.writableFinished) reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await Promise.race([new Promise<void>((resolve) => res.once("drain", resolve)), closed]);
    }
    res.end();
  } catch {
    // The body failed mid-way: the answer cannot be completed, only cut.
    res.destroy();
  }
}
