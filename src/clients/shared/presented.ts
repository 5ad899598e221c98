import type { PausedState } from "../../core/types.js";

/**
 * A paused run as a client hands it over: the state itself, with
 * `requiresToolCalls` and the client's `resume` added as non-enumerable
 * properties, so the object still serialises to exactly the state that
 * `flow.resume(state, …)` takes in another process.
 */
export function pausedWithResume<R>(state: PausedState, resume: R): PausedState & { readonly requiresToolCalls: true; resume: R } {
  const paused = { ...state };
  Object.defineProperties(paused, {
    requiresToolCalls: { value: true, enumerable: false },
    resume: { value: resume, enumerable: false },
  });
  return paused as PausedState & { readonly requiresToolCalls: true; resume: R };
}
