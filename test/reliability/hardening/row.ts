/** One row of the hardening table in RELIABILITY.md. */
export interface HardeningRow {
  /** The attack or the fault, as it was seen. */
  finding: string;
  /** The rule that now stops the whole class of it. */
  rule: string;
  /** Where that is proved. */
  test: string;
}
