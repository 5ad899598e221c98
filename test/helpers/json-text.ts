/** The value of a JSON text, or undefined when the text is not JSON (an answer's body read as text). */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
