import { createHash } from "node:crypto";
import type { AppContext } from "./context.js";
import { HttpError } from "./http-error.js";
import type { AppRequest } from "./http-types.js";
import type { Route } from "./router.js";

/** Who is calling, without the key itself: a short hash scopes rate limits and idempotency. */
export interface Caller {
  keyId: string;
  org: string | undefined;
  project: string | undefined;
}

const BEARER = /^Bearer +(\S+)$/i;
const KEY = /^nk_[\x21-\x7e]+$/;
const REALM = 'Bearer realm="noukai"';
const keyIds = new Map<string, string>();

/** Checks `Authorization: Bearer nk_…` (401) and the key's org/project scope (403). The key never appears in a message. */
export function authenticate(ctx: AppContext, request: AppRequest, route: Route): Caller {
  const header = request.header("authorization");
  if (header === undefined || header.trim() === "") {
    throw new HttpError(401, "UNAUTHENTICATED", "missing Authorization header; send `Authorization: Bearer nk_…`", { "www-authenticate": REALM });
  }
  const key = BEARER.exec(header.trim())?.[1];
  if (key === undefined || !KEY.test(key)) {
    throw new HttpError(401, "UNAUTHENTICATED", "malformed Authorization header; expected `Bearer ` followed by an API key that starts with nk_", {
      "www-authenticate": `${REALM}, error="invalid_token"`,
    });
  }
  const keyId = idOf(key);
  const rules = ctx.config.apiKeys;
  if (!rules) return { keyId, org: undefined, project: undefined };
  const rule = rules.find((candidate) => candidate.key === key);
  if (!rule) {
    throw new HttpError(401, "UNAUTHENTICATED", "this API key is not accepted by this server", { "www-authenticate": `${REALM}, error="invalid_token"` });
  }
  if ("flow" in route) {
    const { org, project } = route.flow;
    if (rule.org !== undefined && rule.org !== org) {
      throw new HttpError(403, "FORBIDDEN", `this API key is limited to org "${rule.org}" and cannot use org "${org}"`);
    }
    if (rule.project !== undefined && rule.project !== project) {
      throw new HttpError(403, "FORBIDDEN", `this API key is limited to project "${rule.org ?? ""}/${rule.project}" and cannot use "${org}/${project}"`);
    }
  }
  return { keyId, org: rule.org, project: rule.project };
}

function idOf(key: string): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    id = createHash("sha256").update(key).digest("hex").slice(0, 24);
    if (keyIds.size > 1000) keyIds.clear();
    keyIds.set(key, id);
  }
  return id;
}
