import picocolors from "picocolors";
import type { CliIo } from "./io.js";
import { visible } from "./visible.js";

/**
 * Colour for a person at a terminal, never in a pipe or a file: on when
 * standard output is a terminal, off with `--no-color` or `NO_COLOR` (any
 * value), forced on with `FORCE_COLOR` (not "0"). picocolors paints; the
 * decision is ours, made from the injected environment.
 */
export type Style = ReturnType<typeof picocolors.createColors>;

export function colorEnabled(io: CliIo, noColorFlag: boolean | undefined): boolean {
  if (noColorFlag === true || nonEmpty(io.env["NO_COLOR"])) return false;
  const force = io.env["FORCE_COLOR"];
  if (nonEmpty(force)) return force !== "0";
  return io.isTTY && io.env["TERM"] !== "dumb";
}

export function styleFor(io: CliIo, noColorFlag: boolean | undefined): Style {
  return picocolors.createColors(colorEnabled(io, noColorFlag));
}

/** A status word in its colour: green done, red failed, yellow on its way. A server's word has its controls escaped first. */
export function statusColor(style: Style, given: string): string {
  const status = visible(given);
  if (status === "completed") return style.green(status);
  if (status === "failed" || status === "cancelled") return style.red(status);
  return style.yellow(status);
}

/** The ✓ of a step line in green. */
export function paintStep(line: string, style: Style): string {
  return line.startsWith("✓") ? `${style.green("✓")}${line.slice(1)}` : line;
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== "";
}
