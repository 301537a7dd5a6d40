// Classified source ranges as snippets mask them (strings, comments, values), and the compact form in which an extractor hands over the ranges of the lines its facts are on.
import type { TokenContext } from '../util/redact.js';

/** A classified source range: code is shown, comments are masked, the rest is masked unless harmless. */
export interface Range {
  start: number;
  end: number;
  kind: TokenContext | 'comment' | 'code';
}

/** Sorted by start, empty ranges dropped, overlaps merged into their union with the more cautious kind. */
export function sortRanges(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (r.end <= r.start) continue;
    if (last && r.start < last.end) {
      // Overlaps keep the more cautious kind over the union.
      if (r.end > last.end) last.end = r.end;
      if (last.kind === 'code' || (r.kind !== 'code' && r.kind === 'comment')) last.kind = r.kind;
      continue;
    }
    out.push({ ...r });
  }
  return out;
}

/** The offset of the line break at or after `from` (the text's length on the last line): LF, CR, and with `unicode` U+2028 and U+2029. */
export function lineEnd(text: string, from: number, unicode = false): number {
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || (unicode && (c === 0x2028 || c === 0x2029))) break;
  }
  return i;
}

/**
 * The token ranges of some lines of a file, as an extractor hands them over: `ranges` holds every
 * range (sorted, merged) that overlaps one of `lines` as flat triples (start, end, kind's index in
 * `LINE_TOKEN_KINDS`), and `length` is the text's length (a file read again at another length is
 * tokenised afresh). A snippet of one of these lines needs no other range.
 */
export interface LineTokens {
  length: number;
  lines: number[];
  ranges: number[];
}

/** The kinds a `LineTokens` range can have: each can only mask (never `code`). */
const LINE_TOKEN_KINDS = ['comment', 'string', 'fragment', 'key', 'module'] as const;
const KIND_INDEX = new Map<string, number>(LINE_TOKEN_KINDS.map((kind, i) => [kind, i]));

/**
 * The ranges of `ranges` (sorted and merged) that overlap the given 1-based lines, each with its
 * line terminator; null when a range has a kind `LineTokens` cannot carry. `starts`: where each line
 * starts, as `lineStarts` gives them.
 */
export function tokensOnLines(text: string, ranges: readonly Range[], lines: Iterable<number>, starts: readonly number[]): LineTokens | null {
  const wanted = linesIn(lines, starts);
  const flat: number[] = [];
  let k = 0;
  for (const line of wanted) {
    const from = starts[line - 1];
    const to = line < starts.length ? starts[line] : text.length + 1;
    while (k < ranges.length && ranges[k].end <= from) k++;
    // Ranges may span lines: one already taken for the line before is not taken again.
    for (let i = k; i < ranges.length && ranges[i].start < to; i++) {
      const r = ranges[i];
      if (flat.length > 0 && flat[flat.length - 3] === r.start) continue;
      const kind = KIND_INDEX.get(r.kind);
      if (kind === undefined) return null;
      flat.push(r.start, r.end, kind);
    }
  }
  return { length: text.length, lines: wanted, ranges: flat };
}

/** The distinct lines of `lines` that a text with these line starts has, in order. */
export function linesIn(lines: Iterable<number>, starts: readonly number[]): number[] {
  return [...new Set(lines)].filter((line) => Number.isInteger(line) && line >= 1 && line <= starts.length).sort((a, b) => a - b);
}

/**
 * The ranges `tokens` holds, when they are well formed (sorted, not overlapping, inside a text of
 * `length`) and cover every one of `lines`; null otherwise (the caller tokenises the file itself:
 * a wrong range could unmask a value).
 */
export function rangesOfLines(tokens: LineTokens | undefined, length: number, lines: Iterable<number>): Range[] | null {
  if (tokens?.length !== length || !Array.isArray(tokens.lines) || !Array.isArray(tokens.ranges) || tokens.ranges.length % 3 !== 0) return null;
  const covered = new Set(tokens.lines);
  for (const line of lines) if (!covered.has(line)) return null;
  const out: Range[] = [];
  let last = 0;
  for (let i = 0; i < tokens.ranges.length; i += 3) {
    const [start, end, kind] = [tokens.ranges[i], tokens.ranges[i + 1], tokens.ranges[i + 2]];
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < last || end <= start || end > length) return null;
    const name = LINE_TOKEN_KINDS[kind] as (typeof LINE_TOKEN_KINDS)[number] | undefined;
    if (name === undefined) return null;
    out.push({ start, end, kind: name });
    last = end;
  }
  return out;
}
