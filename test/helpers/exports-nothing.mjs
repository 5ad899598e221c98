// A module with no fetch to give: fetchModule must refuse it, saying so.
export const answer = 42;
