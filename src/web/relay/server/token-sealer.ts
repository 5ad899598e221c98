import { isJsonObject } from "../../../core/json-object.js";
import { fromBase64Url, toBase64Url } from "./base64url.js";

/**
 * Paused runs leave the relay only as sealed tokens: AES-256-GCM
 * (authenticated encryption) under a key derived from the relay's secret, so
 * the browser can neither read a token nor change one bit of it unnoticed.
 * What a token binds (the relay's flow and version, the execution, the tool
 * round, an expiry, a one-time nonce) is checked by the relay after opening it.
 */
export type TokenKind = "execute" | "stream";

export interface TokenClaims {
  /** A whole answer's pause (the state is in the token) or a stream's (the relay holds the run). */
  kind: TokenKind;
  /** `org/project/slug@version` of the relay that sealed it. */
  relay: string;
  executionId: string;
  /** The tool round this token answers, from 1. */
  round: number;
  /** Milliseconds since the epoch after which the token is refused. */
  expiresAt: number;
  /** Unique per token: what the record of used tokens remembers. */
  nonce: string;
  /** `execute`: the paused state, as the client resumes it. */
  state?: unknown;
  /** `stream`: the handle of the run the relay holds. */
  handle?: string;
}

/** Tokens start with this; a token of another format or version is refused before any decryption. */
const PREFIX = "nkr1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Tied into every token's authentication: a blob sealed by anything else under the same key does not open. */
const CONTEXT = new TextEncoder().encode("noukai relay token v1");

export class TokenSealer {
  readonly #crypto: Crypto;
  readonly #key: Promise<CryptoKey>;

  constructor(secret: string | Uint8Array, crypto: Crypto) {
    this.#crypto = crypto;
    this.#key = deriveKey(secret, crypto);
    // A derivation failure surfaces at the first seal or open, as that request's error.
    this.#key.catch(() => undefined);
  }

  async seal(claims: TokenClaims): Promise<string> {
    const iv = this.#crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const plain = new TextEncoder().encode(JSON.stringify(claims));
    const sealed = new Uint8Array(await this.#crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: CONTEXT }, await this.#key, plain));
    const out = new Uint8Array(IV_BYTES + sealed.length);
    out.set(iv);
    out.set(sealed, IV_BYTES);
    return PREFIX + toBase64Url(out);
  }

  /** The claims of a token this secret sealed, unaltered; undefined for anything else. */
  async open(token: string): Promise<TokenClaims | undefined> {
    if (!token.startsWith(PREFIX)) return undefined;
    const bytes = fromBase64Url(token.slice(PREFIX.length));
    if (bytes === undefined || bytes.length < IV_BYTES + TAG_BYTES) return undefined;
    let plain: ArrayBuffer;
    try {
      plain = await this.#crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: CONTEXT }, await this.#key, bytes.slice(IV_BYTES));
    } catch {
      return undefined;
    }
    let claims: unknown;
    try {
      claims = JSON.parse(new TextDecoder().decode(plain));
    } catch {
      return undefined;
    }
    return isClaims(claims) ? claims : undefined;
  }
}

/** HKDF-SHA-256 from the secret to an AES-256-GCM key: the secret itself is never the key. */
async function deriveKey(secret: string | Uint8Array, crypto: Crypto): Promise<CryptoKey> {
  const raw = typeof secret === "string" ? new TextEncoder().encode(secret) : new Uint8Array(secret);
  const material = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  const salt = new TextEncoder().encode("noukai relay");
  const info = new TextEncoder().encode("token key, AES-256-GCM, v1");
  return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt, info }, material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

function isClaims(value: unknown): value is TokenClaims {
  if (!isJsonObject(value)) return false;
  const { kind, relay, executionId, round, expiresAt, nonce, handle } = value;
  return (
    (kind === "execute" || kind === "stream") &&
    typeof relay === "string" &&
    typeof executionId === "string" &&
    typeof round === "number" &&
    typeof expiresAt === "number" &&
    typeof nonce === "string" &&
    (kind === "execute" ? isJsonObject(value["state"]) : typeof handle === "string")
  );
}
