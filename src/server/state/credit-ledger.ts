import { formatUsd, parseUsd } from "../money.js";

/**
 * Per-org credit balances (picodollars). Orgs without a configured balance are
 * not billed. Each finished execution is charged its cost; an org at or below
 * zero is refused before anything runs.
 */
export class CreditLedger {
  readonly #balances = new Map<string, bigint>();

  constructor(credits: Readonly<Record<string, string>>) {
    for (const [org, amount] of Object.entries(credits)) {
      const value = parseUsd(amount);
      if (value === undefined) throw new RangeError(`credits for org "${org}" must be a decimal USD string, got ${JSON.stringify(amount)}`);
      this.#balances.set(org, value);
    }
  }

  canRun(org: string): boolean {
    const balance = this.#balances.get(org);
    return balance === undefined || balance > 0n;
  }

  charge(org: string, pico: number): void {
    const balance = this.#balances.get(org);
    if (balance !== undefined) this.#balances.set(org, balance - BigInt(Math.round(pico)));
  }

  balance(org: string): string | undefined {
    const balance = this.#balances.get(org);
    return balance === undefined ? undefined : formatUsd(balance);
  }
}
