import { OutputAllowance, type Refusal } from "./output-allowance.js";
import type { Execution } from "./execution.js";

/** What a run may produce and keep. */
export interface RunLimits {
  /** Bytes of JSON one step's output may take. */
  maxStepOutputBytes: number;
  /** Bytes of JSON all of a run's outputs may take together (what a client re-sends as accumulatedOutputs). */
  maxRunOutputBytes: number;
  /** Bytes `run` may still grow by before the server's memory for runs is spent (runs in flight count). */
  roomBytes(run: Execution): number;
}

export const NO_LIMITS: RunLimits = {
  maxStepOutputBytes: Number.POSITIVE_INFINITY,
  maxRunOutputBytes: Number.POSITIVE_INFINITY,
  roomBytes: () => Number.POSITIVE_INFINITY,
};

/** A step's allowance: the tightest of its own cap, what is left of the run's, and the server's room. */
export function stepAllowance(run: Execution, stepId: string, limits: RunLimits): OutputAllowance {
  const own = limits.maxStepOutputBytes;
  const runLeft = limits.maxRunOutputBytes - run.outputBytes;
  const room = limits.roomBytes(run);
  return new OutputAllowance(Math.max(0, Math.min(own, runLeft, room)), new StepRefusal(stepId, own, runLeft, room, limits.maxRunOutputBytes));
}

/** Names the limit that bound a step's allowance. */
class StepRefusal implements Refusal {
  constructor(
    private readonly stepId: string,
    private readonly own: number,
    private readonly runLeft: number,
    private readonly room: number,
    private readonly runMax: number,
  ) {}

  explain(): { code: string; message: string } {
    const { stepId, own, runLeft, room } = this;
    if (room < own && room < runLeft) return serverBusy(stepId);
    if (runLeft < own) {
      return { code: "OUTPUT_TOO_LARGE", message: `step "${stepId}" would take this run's outputs past ${sizeText(this.runMax)} of JSON, the server's maxRunOutputBytes` };
    }
    return { code: "OUTPUT_TOO_LARGE", message: `step "${stepId}" would output more than ${sizeText(own)} of JSON, the server's maxStepOutputBytes` };
  }
}

/** The refusal of a step when the runs in flight already hold all of the server's memory for runs. */
export function serverBusy(stepId: string): { code: string; message: string } {
  return {
    code: "SERVER_BUSY",
    message: `step "${stepId}" could not run: the runs in flight hold all of the server's memory for runs (maxRunBytes); try again later`,
  };
}

/** `2 MiB`, `512 KiB` or `1000 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
