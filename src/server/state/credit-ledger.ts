import { formatUsd, parseUsd } from "../money.js";

/** A balance as a data directory keeps it: what the flag gave, and what is left of it (picodollars, as a decimal string). */
export interface StoredBalance {
  given: string;
  left: string;
}

/**
 * Per-org credit balances (picodollars). Orgs without a configured balance are
 * not billed. Each finished execution is charged its cost; an org at or below
 * zero is refused before anything runs.
 */
export class CreditLedger {
  readonly #balances = new Map<string, bigint>();
  /** The amount each org was given, as configured, so a restart can tell the same budget from a new one. */
  readonly #given = new Map<string, string>();
  readonly #onCharge: ((org: string, balance: StoredBalance) => void) | undefined;

  /** `onCharge` hears of each org's balance after a charge. */
  constructor(credits: Readonly<Record<string, string>>, onCharge?: (org: string, balance: StoredBalance) => void) {
    this.#onCharge = onCharge;
    for (const [org, amount] of Object.entries(credits)) {
      const value = parseUsd(amount);
      if (value === undefined) throw new RangeError(`credits for org "${org}" must be a decimal USD string, got ${JSON.stringify(amount)}`);
      this.#balances.set(org, value);
      this.#given.set(org, amount.trim());
    }
  }

  canRun(org: string): boolean {
    const balance = this.#balances.get(org);
    return balance === undefined || balance > 0n;
  }

  charge(org: string, pico: number): void {
    const balance = this.#balances.get(org);
    if (balance === undefined) return;
    const left = balance - BigInt(Math.round(pico));
    this.#balances.set(org, left);
    this.#onCharge?.(org, { given: this.#given.get(org) ?? "", left: left.toString() });
  }

  /**
   * Takes back what was left of an org's balance before a restart, when the
   * org is given the same amount as then; a new amount (or none) starts afresh.
   * True when it was taken back.
   */
  restore(org: string, stored: StoredBalance): boolean {
    if (this.#given.get(org) !== stored.given || !/^-?\d+$/.test(stored.left)) return false;
    this.#balances.set(org, BigInt(stored.left));
    return true;
  }

  balance(org: string): string | undefined {
    const balance = this.#balances.get(org);
    return balance === undefined ? undefined : formatUsd(balance);
  }
}
