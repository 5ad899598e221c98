/** One measured figure of a benchmark suite, optionally beside the limit it is compared with. */
export interface BenchRow {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** The same measurement on the reference (e.g. a minimal node:http server). */
  limit?: number;
  /** What the limit is, when not raw keep-alive node:http. */
  limitIs?: string;
  /** What the figure must reach, as text, and whether it did. */
  goal?: string;
  met?: boolean;
  /** Decimals to show (default 0). */
  decimals?: number;
}
