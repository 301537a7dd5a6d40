// One definition of a line break for every location and snippet: LF, CRLF and a lone CR; U+2028 and U+2029 also in JavaScript/TypeScript.
import type { Loc } from '../vocabulary.js';

/** Whether the language itself ends lines at U+2028/U+2029 (the TypeScript compiler does; YAML, Python and shells do not). */
export function usesUnicodeLineBreaks(language: string): boolean {
  return language === 'ts' || language === 'js';
}

/** Offsets where each line starts (the first is 0). */
export function lineStarts(text: string, unicodeBreaks = false): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (unicodeBreaks && (c === 0x2028 || c === 0x2029)) starts.push(i + 1);
  }
  return starts;
}

/** Maps offsets to 1-based lines and columns (UTF-16 code units) and back, and cuts lines without their terminator. */
export class LineIndex {
  readonly starts: number[];

  constructor(
    readonly text: string,
    unicodeBreaks = false,
  ) {
    this.starts = lineStarts(text, unicodeBreaks);
  }

  get count(): number {
    return this.starts.length;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: offset - this.starts[line - 1] + 1 };
  }

  loc(start: number, end: number): Loc {
    const from = this.position(start);
    const to = this.position(Math.max(start, end));
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }

  /** Offset of a 1-based line and column (clamped to the line). */
  offset(line: number, column: number): number {
    const range = this.lineRange(line);
    if (!range) return this.text.length;
    return Math.min(range.end, range.start + Math.max(0, column - 1));
  }

  /** Start and end (before the terminator) of a 1-based line; null outside the text. */
  lineRange(line: number): { start: number; end: number } | null {
    if (!Number.isInteger(line) || line < 1 || line > this.starts.length) return null;
    const start = this.starts[line - 1];
    let end = line < this.starts.length ? this.starts[line] : this.text.length;
    if (line < this.starts.length) {
      end--;
      if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13 && end - 1 >= start) end--;
    }
    return { start, end };
  }
}

const recent = new Map<string, LineIndex>();

/**
 * Offset of a 1-based line and column (UTF-16) in a file's text, counting line breaks as its
 * extractor did (U+2028/U+2029 too in JavaScript/TypeScript). The last few files' indexes are kept.
 */
export function offsetIn(text: string, path: string, line: number, column: number): number {
  let index = recent.get(path);
  if (index?.text !== text) {
    index = new LineIndex(text, /\.[cm]?[jt]sx?$/i.test(path));
    recent.delete(path);
    if (recent.size >= 8) recent.delete(recent.keys().next().value as string);
    recent.set(path, index);
  }
  return index.offset(line, column);
}
