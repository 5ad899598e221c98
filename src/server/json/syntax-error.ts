/**
 * Where a text stops being JSON, to report a syntax error by its place
 * (`line 3, column 14`) rather than by the engine's message, which quotes the
 * text: a flow "file" may be a link to something that must not be echoed.
 */
export function jsonSyntaxProblem(text: string): string {
  const offset = firstErrorOffset(text);
  if (offset < 0) return "not valid JSON";
  if (offset >= text.length) return "not valid JSON: it ends too early";
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf("\n"); at >= 0 && at < offset; at = text.indexOf("\n", at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return `not valid JSON at line ${line}, column ${offset - lineStart + 1}`;
}

type State = "value" | "firstValue" | "key" | "firstKey" | "after";
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/**
 * The offset of the first character that is not JSON (the text's length when
 * it ends too early), or -1 when it all is. Iterative, so a deeply nested text
 * cannot exhaust the stack.
 */
function firstErrorOffset(text: string): number {
  const open: number[] = [];
  let state: State = "value";
  let i = 0;
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text.charAt(i))) i++;
    if (i >= text.length) return state === "after" && open.length === 0 ? -1 : text.length;
    const c = text.charAt(i);
    if (state === "after") {
      const top = open.at(-1);
      if (top === undefined) return i;
      if (c === ",") {
        i++;
        state = top === 123 ? "key" : "value";
      } else if (c === (top === 123 ? "}" : "]")) {
        i++;
        open.pop();
      } else return i;
    } else if (state === "key" || state === "firstKey") {
      if (c === "}" && state === "firstKey") {
        i++;
        open.pop();
        state = "after";
        continue;
      }
      if (c !== '"') return i;
      i = endOfString(text, i);
      if (i < 0) return -i - 1;
      while (i < text.length && " \t\n\r".includes(text.charAt(i))) i++;
      if (text.charAt(i) !== ":") return i;
      i++;
      state = "value";
    } else if (c === "]" && state === "firstValue") {
      i++;
      open.pop();
      state = "after";
    } else if (c === "{" || c === "[") {
      open.push(c.charCodeAt(0));
      i++;
      state = c === "{" ? "firstKey" : "firstValue";
    } else {
      const end = endOfScalar(text, i);
      if (end < 0) return -end - 1;
      i = end;
      state = "after";
    }
  }
}

/** The offset after a string, number or literal starting at `i`; a negative result -(n+1) means an error at n. */
function endOfScalar(text: string, i: number): number {
  const c = text.charAt(i);
  if (c === '"') return endOfString(text, i);
  for (const literal of ["true", "false", "null"]) if (text.startsWith(literal, i)) return i + literal.length;
  NUMBER.lastIndex = i;
  return NUMBER.test(text) ? NUMBER.lastIndex : -(i + 1);
}

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; ) {
    const code = text.charCodeAt(i);
    if (code === 34) return i + 1;
    if (code < 0x20) return -(i + 1);
    if (code === 92) {
      ESCAPE.lastIndex = i + 1;
      if (!ESCAPE.test(text)) return -(i + 2);
      i = ESCAPE.lastIndex;
    } else i++;
  }
  return -(text.length + 1);
}
