/**
 * The longest delay a timer keeps: `setTimeout` stores it in 32 bits, and a
 * longer one fires at once (Node warns and waits 1 ms). An option that
 * becomes a timer is refused above it rather than ending its wait early.
 */
export const MAX_TIMER_MS = 2_147_483_647;
