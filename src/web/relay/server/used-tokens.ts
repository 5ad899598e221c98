/**
 * The relay's memory of the tokens it has accepted, so that a token resumes
 * its round once: a second use (a replay after the run went on or finished,
 * or the same token sent twice at once) is refused. An entry is kept until
 * its token expires, when the token would be refused anyway; the record is
 * bounded, and when it is full of live entries new resumes are refused
 * rather than old entries forgotten, since forgetting one would let its
 * token be replayed.
 */
export type Claim = "claimed" | "used" | "full";

interface Entry {
  expiresAt: number;
  /** A resume under way: a failure that reached nothing lets the token be tried again. */
  settled: boolean;
}

export class UsedTokens {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(max: number, now: () => number) {
    this.#max = max;
    this.#now = now;
  }

  /** Marks a token as being used; "used" when it already was (or is now). */
  claim(nonce: string, expiresAt: number): Claim {
    if (this.#entries.has(nonce)) return "used";
    if (this.#entries.size >= this.#max) this.#forgetExpired();
    if (this.#entries.size >= this.#max) return "full";
    this.#entries.set(nonce, { expiresAt, settled: false });
    return "claimed";
  }

  /** The resume went through: the token is spent for good. */
  spend(nonce: string): void {
    const entry = this.#entries.get(nonce);
    if (entry) entry.settled = true;
  }

  /** The resume failed before the service took it (or was refused as it stood): the token may be tried again. */
  release(nonce: string): void {
    const entry = this.#entries.get(nonce);
    if (entry && !entry.settled) this.#entries.delete(nonce);
  }

  get size(): number {
    return this.#entries.size;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [nonce, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(nonce);
  }
}
