import type { Effect } from "../core/effects.js";

/** The outcome of the last effect, to be fed back into the operation that asked for it. */
export type Resume = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What an operation is resumed with when it starts, and after it emitted a value. */
export const NOTHING: Resume = { ok: true, value: undefined };

/** Resumes `op` with the last outcome (a value, or a failure thrown into it) and returns its next step. */
export function resumeOp<T, E>(op: Generator<Effect<E>, T, unknown>, resume: Resume): IteratorResult<Effect<E>, T> {
  return resume.ok ? op.next(resume.value) : op.throw(resume.error);
}
