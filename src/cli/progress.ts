import type yoctoSpinnerType from "yocto-spinner";
import type { CliIo, SpinnerStream } from "./io.js";
import type { Style } from "./style.js";

/** A line that says what is running and for how long, on a terminal only. */
export interface Progress {
  /** Shows `label` with a spinner and the time since this call. */
  start(label: string): void;
  /** Takes the spinner's line away (before a line of output, or at the end). */
  stop(): void;
}

const NONE: Progress = { start: () => undefined, stop: () => undefined };
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * yocto-spinner draws (frames, redraws in place, the cursor hidden while it
 * spins) on standard error, when both standard output and standard error are
 * terminals and the output is for a person: in a pipe, with `--json`, in CI
 * or on a dumb terminal there is no spinner at all (and it is not even
 * loaded: a pipe does not pay for it). It is given a stream of ours, so it
 * never patches `process.stdout`, its colours follow `--no-color` and
 * `NO_COLOR`, and Ctrl-C stays the command's (no signal handlers of its own).
 */
export async function progressFor(io: CliIo, style: Style, enabled: boolean): Promise<Progress> {
  const terminal = io.terminal;
  if (!enabled || !io.isTTY || terminal === undefined || "CI" in io.env || io.env["TERM"] === "dumb") return NONE;
  const { default: yoctoSpinner } = await import("yocto-spinner");
  const stream = style.isColorSupported ? terminal : withoutColor(terminal);
  let spinner: ReturnType<typeof yoctoSpinnerType> | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
    spinner?.stop();
    spinner = undefined;
  };
  return {
    start(label) {
      stop();
      const since = performance.now();
      const text = () => `${label} ${style.dim(elapsed(performance.now() - since))}`;
      spinner = yoctoSpinner({ text: text(), stream: stream as unknown as NodeJS.WriteStream, handleSignals: false }).start();
      ticker = setInterval(() => {
        if (spinner !== undefined) spinner.text = text();
      }, 100);
      ticker.unref();
    },
    stop,
  };
}

/** `0.4 s`, `12.0 s`, `2 m 05 s`. */
export function elapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, "0")} s`;
}

/** The terminal, with colour codes taken out of what the spinner writes (its cursor moves stay). */
function withoutColor(terminal: SpinnerStream): SpinnerStream {
  return {
    get isTTY() {
      return terminal.isTTY;
    },
    get columns() {
      return terminal.columns;
    },
    write: (text) => terminal.write(text.replace(SGR, "")),
    cursorTo: (x) => terminal.cursorTo(x),
    moveCursor: (dx, dy) => terminal.moveCursor(dx, dy),
    clearLine: (dir) => terminal.clearLine(dir),
  };
}
