/**
 * Text → SSE frames, as the SSE specification reads a stream: lines end with
 * LF, CRLF or CR (a CRLF may be cut between two chunks); a blank line ends a
 * frame, which is given only if it had `data`; `data` lines are joined with
 * LF; a line that starts with `:` is a comment; a field's value loses one
 * space after the colon, and a line without a colon is a field with an empty
 * value. Only `event` and `data` are kept: `id`, `retry` and unknown fields
 * mean nothing to the client and are skipped, as the specification has
 * unknown fields skipped. A frame that never gets its blank line is never
 * given. (A byte-order mark is the decoder's to drop, before the text gets
 * here.)
 */
export class SseFrames {
  /** The start of a line whose end has not arrived yet. */
  #rest = "";
  /** The frame's `data` lines so far, joined; `undefined` until one arrives. */
  #data: string | undefined;
  #event: string | undefined;
  /** The last `event` value read, handed out again when the next one is spelled the same. */
  #lastEvent = "";
  /** The text so far ended with CR: an LF at the start of the next chunk ends no second line. */
  #afterCr = false;
  readonly #onFrame: (event: string | undefined, data: string) => void;
  readonly #maxChars: number;

  /**
   * @param onFrame gets each whole frame.
   * @param maxChars the most a frame (its data so far plus an unended line) may hold between chunks.
   */
  constructor(onFrame: (event: string | undefined, data: string) => void, maxChars: number) {
    this.#onFrame = onFrame;
    this.#maxChars = maxChars;
  }

  /** Reads a chunk of text; false when what is held for an unfinished frame grew beyond `maxChars`. */
  feed(text: string): boolean {
    // Nothing arrived (a chunk that held only part of a character): a CR just before still waits for its LF.
    if (text === "") return true;
    let start = this.#afterCr && text.charCodeAt(0) === LF ? 1 : 0;
    this.#afterCr = text.charCodeAt(text.length - 1) === CR;
    // The next CR and LF from `start` on (-1: none left), each looked for again only once passed.
    let cr = text.indexOf("\r", start);
    let lf = text.indexOf("\n", start);
    if (this.#rest !== "" && (cr !== -1 || lf !== -1)) {
      // The line begun in an earlier chunk ends in this one.
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      const line = this.#rest + text.slice(start, end);
      this.#rest = "";
      this.#line(line, 0, line.length);
      start = end === cr && lf === cr + 1 ? lf + 1 : end + 1;
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
      if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
    }
    if (cr === -1) {
      // LF only, as servers mostly send: a blank line right after a line ends the frame without another search.
      while (lf !== -1) {
        if (start === lf) this.#endFrame();
        else this.#line(text, start, lf);
        start = lf + 1;
        if (text.charCodeAt(start) === LF) {
          this.#endFrame();
          start++;
        }
        lf = text.indexOf("\n", start);
      }
    } else {
      while (cr !== -1 || lf !== -1) {
        const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
        this.#line(text, start, end);
        start = end === cr && lf === cr + 1 ? lf + 1 : end + 1;
        if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
        if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
      }
    }
    this.#rest += start === 0 ? text : text.slice(start);
    return this.#rest.length + (this.#data?.length ?? 0) <= this.#maxChars;
  }

  /** The line `text[start, end)`, its line end left off. */
  #line(text: string, start: number, end: number): void {
    if (start === end) return this.#endFrame();
    // Only `data` and `event` matter (with a colon, or alone on their line); other lines are skipped without being cut out.
    const field = isData(text, start) ? 4 : isEvent(text, start) ? 5 : 0;
    const colon = start + field;
    if (field === 0 || (colon !== end && text.charCodeAt(colon) !== COLON)) return;
    // The value loses one space after the colon.
    const from = colon + (colon < end && text.charCodeAt(colon + 1) === SPACE ? 2 : 1);
    if (field === 5) {
      this.#event = from < end ? this.#eventName(text, from, end) : undefined;
      return;
    }
    const value = from < end ? text.slice(from, end) : "";
    this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
  }

  /**
   * The event name `text[from, end)`. A stream names most of its events
   * alike: handing out the same string object for the same name, rather than
   * a new one cut from each chunk, lets whoever looks the name up compare it
   * by identity instead of character by character, and allocates nothing.
   */
  #eventName(text: string, from: number, end: number): string {
    const last = this.#lastEvent;
    // Character by character: `startsWith` at an offset costs several times more here.
    if (end - from === last.length) {
      let at = 0;
      while (at < last.length && text.charCodeAt(from + at) === last.charCodeAt(at)) at++;
      if (at === last.length) return last;
    }
    return (this.#lastEvent = text.slice(from, end));
  }

  /** A blank line: the frame is given if it had data, and the next one starts afresh. */
  #endFrame(): void {
    if (this.#data !== undefined) this.#onFrame(this.#event, this.#data);
    this.#data = undefined;
    this.#event = undefined;
  }
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;

// Compared character by character: on the hot path this is faster than `startsWith`.
function isData(text: string, at: number): boolean {
  return text.charCodeAt(at) === 100 && text.charCodeAt(at + 1) === 97 && text.charCodeAt(at + 2) === 116 && text.charCodeAt(at + 3) === 97;
}

function isEvent(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 101 &&
    text.charCodeAt(at + 1) === 118 &&
    text.charCodeAt(at + 2) === 101 &&
    text.charCodeAt(at + 3) === 110 &&
    text.charCodeAt(at + 4) === 116
  );
}
