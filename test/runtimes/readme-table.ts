/**
 * The README's "Where it runs" table, which the matrix test compares with
 * what it ran: a runtime, version, loading or result that changes without the
 * README fails the test, which prints the table to paste.
 */
export const SECTION = "## Where it runs";

export interface TableRow {
  runtime: string;
  version: string;
  loads: string;
  passed: number;
  total: number;
}

export function renderTable(rows: TableRow[]): string[] {
  return [
    "| Runtime | Version | How it loads `noukai` | Checks passed |",
    "|---|---|---|---|",
    ...rows.map((row) => `| ${row.runtime} | ${row.version} | ${row.loads} | ${row.passed}/${row.total} |`),
  ];
}

/** The table lines of the section, or a failure naming what is missing. */
export function tableIn(readme: string): string[] {
  const lines = readme.split("\n");
  const start = lines.indexOf(SECTION);
  if (start === -1) throw new Error(`README.md has no "${SECTION}" section`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith("## "));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((line) => line.startsWith("|"));
}
