import type { ClientOptions } from "noukai";
import type { ClientKind, AnyClient } from "../../helpers/clients.js";

/**
 * One bad input from a caller: what was passed, the call that passes it, and
 * the error that must come back, naming the argument, before any request.
 */
export interface BadInput {
  /** What the caller got wrong, for the report. */
  input: string;
  /** Only these clients (a behaviour one client cannot have). */
  kinds?: readonly ClientKind[];
  /**
   * Requests the server may see: 0 (nothing is sent), or 1 for a tool handler's
   * mistake, which can only show once the first answer asked for tools (the
   * resume is then never sent).
   */
  requestsAllowed?: 0 | 1;
  /** Makes the call; `make` builds a client of the case's kind with more options. */
  run(client: AnyClient, make: (options: ClientOptions) => AnyClient): unknown;
  /** The error's class, and what its message must name. */
  expect: { error: "ValueError" | "TypeError" | "AuthenticationError" | "Error"; names: RegExp };
}

/** Drains a stream, so that an error raised at any point of it reaches the caller. */
export async function drain(stream: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // Nothing to keep: only whether it fails, and how.
  }
}
