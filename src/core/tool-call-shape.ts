/**
 * What is wrong with the tool calls a pause carries, or `undefined` when
 * each is an object with an id. The client matches results to calls by that
 * id and hands the calls to the caller's handler, so a pause whose calls are
 * not shaped so is refused when it is read, not later, inside a resume.
 */
export function toolCallsProblem(toolCalls: readonly unknown[]): string | undefined {
  for (let index = 0; index < toolCalls.length; index++) {
    const call = toolCalls[index];
    if (typeof call !== "object" || call === null || Array.isArray(call)) return `toolCalls[${index}] is not an object`;
    const id = (call as { id?: unknown }).id;
    if (typeof id !== "string" || id === "") return `toolCalls[${index}] has no string "id"`;
  }
  return undefined;
}
