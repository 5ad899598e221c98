import { RelayCode } from "../protocol.js";
import { toBase64Url } from "./base64url.js";
import { RelayRefusal } from "./refusal.js";
import type { TokenClaims, TokenKind, TokenSealer } from "./token-sealer.js";
import type { UsedTokens } from "./used-tokens.js";

/**
 * The rules a token is issued and accepted by. A token is accepted once,
 * and only when it opens under this relay's secret unaltered, was sealed by
 * a relay of this flow and version, resumes the kind of run it was issued
 * for, has not expired, and has not been used: each refusal has its own code.
 */
export interface TokenRules {
  readonly sealer: TokenSealer;
  readonly used: UsedTokens;
  /** `org/project/slug@version`: a token names the relay that sealed it. */
  readonly relayId: string;
  readonly ttlMs: number;
  /** Tokens may take this much of a body at most, leaving room for the tool results beside them. */
  readonly maxTokenChars: number;
  readonly crypto: Crypto;
  readonly now: () => number;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export async function issueToken(rules: TokenRules, claims: Omit<TokenClaims, "relay" | "expiresAt" | "nonce">): Promise<IssuedToken> {
  const expiresAt = rules.now() + rules.ttlMs;
  const nonce = toBase64Url(rules.crypto.getRandomValues(new Uint8Array(16)));
  const token = await rules.sealer.seal({ ...claims, relay: rules.relayId, expiresAt, nonce });
  if (token.length > rules.maxTokenChars) {
    throw new RelayRefusal(502, RelayCode.STATE_TOO_LARGE, `The paused run's state is too large for a token that fits this relay's body limit (${token.length} characters); raise maxBodyBytes.`);
  }
  return { token, expiresAt: new Date(expiresAt).toISOString() };
}

/** The claims of a token the browser sent back, once every rule holds; the token is then claimed (see `UsedTokens`). */
export async function acceptToken(rules: TokenRules, token: string, kind: TokenKind): Promise<TokenClaims> {
  const claims = await rules.sealer.open(token);
  if (claims === undefined) throw refused(400, RelayCode.TOKEN_INVALID, "The token is not one this relay sealed, or it was altered.");
  if (claims.relay !== rules.relayId) throw refused(400, RelayCode.TOKEN_FOREIGN, "The token belongs to another flow or version than this relay runs.");
  if (claims.kind !== kind) {
    throw refused(400, RelayCode.TOKEN_MODE, kind === "stream" ? "The token resumes a whole answer (execute), not a stream." : "The token resumes a stream (events, steps), not a whole answer.");
  }
  if (claims.expiresAt <= rules.now()) throw refused(410, RelayCode.TOKEN_EXPIRED, "The token has expired; the paused run can no longer be resumed through this relay.");
  const claim = rules.used.claim(claims.nonce, claims.expiresAt);
  if (claim === "used") throw refused(409, RelayCode.TOKEN_USED, "The token was already used: its tool round has been resumed.");
  if (claim === "full") throw new RelayRefusal(503, RelayCode.BUSY, "The relay is resuming too many runs at once; try again shortly.", { headers: { "retry-after": "5" } });
  return claims;
}

function refused(status: number, code: string, message: string): RelayRefusal {
  return new RelayRefusal(status, code, message);
}
