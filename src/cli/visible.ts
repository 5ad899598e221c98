/**
 * Text that came from the network (a server's message, a step's name, a
 * model's output) as a terminal should show it: its control characters, and
 * the marks that reorder text, written out as escapes (`\x1b`, `\u202e`).
 * Printed as they are, they could move the cursor over the command's own
 * lines, retitle the window, set the clipboard (OSC 52) or disguise a link.
 */

// The C0 and C1 controls, DEL, and the bidirectional marks and overrides.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One line: every control character escaped, line breaks too. */
export function visible(text: string): string {
  return text.replace(CONTROLS, escaped);
}

/** Lines, as a result is shown: tabs and line breaks kept (a CRLF as a line break), every other control character escaped. */
export function visibleLines(text: string): string {
  return text.replaceAll("\r\n", "\n").replace(CONTROLS_BUT_LINES, escaped);
}

/**
 * `\x1b` for a C0 control; `\u009b`, `\u202e` for the others, which is also how JSON spells them:
 * NDJSON shown on a terminal (where JSON leaves C1 controls and bidi marks raw) stays JSON of the same value.
 */
function escaped(character: string): string {
  const code = character.charCodeAt(0);
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

// The colours and weights the command line paints with (./style.ts): the only escapes a terminal gets as they are.
const OWN_STYLE = /\u001b\[(?:1|2|22|31|32|33|39)m/g;

/**
 * Everything written to a terminal, as the one output path applies it (./terminal-output.ts):
 * control characters escaped, line breaks and tabs kept, the command line's own colours kept.
 * Idempotent: text already shown by `visible` passes unchanged.
 */
export function forTerminal(text: string): string {
  let shown = "";
  let from = 0;
  for (const match of text.matchAll(OWN_STYLE)) {
    shown += visibleLines(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return shown + visibleLines(text.slice(from));
}
