/**
 * Which source file each stretch of a generated file came from, read from
 * its source map (version 3 `mappings`: base64 VLQ segments, lines separated
 * by `;`). Columns count UTF-16 code units, like JavaScript string indices.
 */

export interface Stretch {
  /** Offsets in the generated text (UTF-16 code units), end excluded. */
  start: number;
  end: number;
  /** The source file, or undefined for generated code no source claims (the bundler's glue). */
  source: string | undefined;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((char, index) => [char, index]));

/** The numbers of one segment (`AAAA`, `gCAAG`, …). */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`not a base64 VLQ digit: ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Splits `text` into stretches, each running from one mapping to the next. */
export function stretchesOf(text: string, map: { sources: string[]; mappings: string }): Stretch[] {
  const lineStarts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) lineStarts.push(index + 1);
  const marks: { offset: number; source: string | undefined }[] = [];
  let sourceIndex = 0;
  map.mappings.split(";").forEach((line, lineIndex) => {
    const lineStart = lineStarts[lineIndex];
    if (lineStart === undefined) return;
    let column = 0;
    for (const segment of line.split(",")) {
      if (segment === "") continue;
      const [columnDelta = 0, sourceDelta] = decodeSegment(segment);
      column += columnDelta;
      // Source line, column and name deltas follow; only the source matters here.
      if (sourceDelta !== undefined) sourceIndex += sourceDelta;
      marks.push({ offset: lineStart + column, source: sourceDelta === undefined ? undefined : map.sources[sourceIndex] });
    }
  });
  marks.sort((a, b) => a.offset - b.offset);
  const stretches: Stretch[] = [];
  let previous: { offset: number; source: string | undefined } = { offset: 0, source: undefined };
  for (const mark of [...marks, { offset: text.length, source: undefined }]) {
    if (mark.offset > previous.offset) {
      const last = stretches.at(-1);
      if (last && last.source === previous.source) last.end = mark.offset;
      else stretches.push({ start: previous.offset, end: mark.offset, source: previous.source });
    }
    if (mark.offset >= previous.offset) previous = mark;
  }
  return stretches;
}
