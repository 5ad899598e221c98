import type { AsyncNoukai } from "../clients/async-noukai.js";
import type { Noukai } from "../clients/noukai.js";
import { clientConfigs } from "../clients/shared/internals.js";
import { ValueError } from "../core/errors.js";
import type { LogEvent } from "../core/log-event.js";
import type { Session } from "../core/types.js";

/** A client a scope is given: either kind. */
export type ScopeClient = AsyncNoukai | Noukai;

/** What a scope uses of its client: the session fetch, and where the client's log events go. */
export interface ClientForScope {
  session(sessionId: string): Session | Promise<Session>;
  onLog: ((event: LogEvent) => void) | undefined;
}

export function clientOf(options: { client?: ScopeClient | undefined }, where: string): ClientForScope {
  const { client } = options;
  const config = client === undefined ? undefined : clientConfigs.get(client);
  if (client === undefined || config === undefined) {
    throw new ValueError(`${where}() needs the client to fetch the session with: pass { client } (an AsyncNoukai or a Noukai).`);
  }
  return { session: (sessionId) => client.session(sessionId), onLog: config.onLog };
}
