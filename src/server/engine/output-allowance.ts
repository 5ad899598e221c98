/**
 * How many bytes of JSON a step may still output. Templates draw from it
 * while they render, before each piece is built, so an output past its limit
 * is refused without ever being made (a template that repeats a large value
 * a thousand times stops at the first piece over the limit).
 */
export class OutputAllowance {
  #used = 0;

  /**
   * @param bytes the most the output may take
   * @param refusal what the step failed on when it is exceeded (code and message), made only then
   */
  constructor(
    readonly bytes: number,
    private readonly refusal: Refusal,
  ) {}

  /** Bytes drawn so far: the size of the output's JSON. */
  get used(): number {
    return this.#used;
  }

  get left(): number {
    return this.bytes - this.#used;
  }

  /** Draws `bytes`; throws OutputTooLargeError when that would pass the limit. */
  take(bytes: number): void {
    this.check(bytes);
    this.#used += bytes;
  }

  /** Throws OutputTooLargeError if `bytes` more would pass the limit, without drawing them. */
  check(bytes: number): void {
    if (this.#used + bytes > this.bytes) throw new OutputTooLargeError(this.refusal.explain());
  }
}

/** Why an output was refused, described only when it is. */
export interface Refusal {
  explain(): { code: string; message: string };
}

const NEVER: Refusal = { explain: () => ({ code: "OUTPUT_TOO_LARGE", message: "an unlimited output was refused" }) };

/** No limit (a template rendered outside a run). */
export function unlimited(): OutputAllowance {
  return new OutputAllowance(Number.POSITIVE_INFINITY, NEVER);
}

export class OutputTooLargeError extends Error {
  readonly code: string;
  constructor(refusal: { code: string; message: string }) {
    super(refusal.message);
    this.name = "OutputTooLargeError";
    this.code = refusal.code;
  }
}

/** An output past its limit is the step's failure (code and message); anything else thrown is a bug and goes on up. */
export function refusalOf(error: unknown): { code: string; message: string } {
  if (error instanceof OutputTooLargeError) return { code: error.code, message: error.message };
  throw error;
}
