import { ERROR_ANSWERS } from "./error-answers.js";
import type { HostileAnswer } from "./expectations.js";
import { HTTP_ANSWERS } from "./http-answers.js";
import { STREAM_ANSWERS } from "./stream-answers.js";

/** Every hostile answer the suite tries, with what the caller must get from each. */
export const HOSTILE_ANSWERS: readonly HostileAnswer[] = [...STREAM_ANSWERS, ...ERROR_ANSWERS, ...HTTP_ANSWERS];

/** A name for each answer: its responder, and the call when one responder serves two. */
export function answerName(answer: HostileAnswer): string {
  return answer.call === "execute" || HOSTILE_ANSWERS.filter((other) => other.responder === answer.responder).length === 1
    ? answer.responder
    : `${answer.responder} (${answer.call})`;
}

export function hostileAnswer(name: string): HostileAnswer {
  const answer = HOSTILE_ANSWERS.find((candidate) => answerName(candidate) === name);
  if (answer === undefined) throw new Error(`no hostile answer ${name}`);
  return answer;
}
