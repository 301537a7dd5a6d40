// Glob and name-pattern matching without regular expressions: time bounded by pattern × text size, never exponential (see docs/limits.md).

/** Limits on one glob: longer patterns, or braces that expand to more alternatives, are rejected. */
export const GLOB_LIMITS = { maxLength: 1024, maxAlternatives: 256 } as const;

/** A glob that cannot be used: too long, too many brace alternatives, or unsupported syntax. */
class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobError';
  }
}

export interface GlobOptions {
  /** Compare case-insensitively. */
  nocase?: boolean;
  /** Whether `*`, `?`, `[…]` and `**` match names that start with a dot (default true). */
  dot?: boolean;
  /** Whether `{a,b}` and `{1..3}` expand (default true; .gitignore patterns have no braces). */
  braces?: boolean;
}

type Token = { kind: 'char'; ch: string } | { kind: 'any' } | { kind: 'class'; negate: boolean; ranges: [string, string][] } | { kind: 'star' };
/**
 * How a segment without `?` or `[…]` and with at most a star at each end matches, without the star
 * walk: `node_modules` (exact), `*_backups` (suffix), `dist*` (prefix), `*work_in_progress*`
 * (contains), `*` (any non-empty name); `walk` for the rest.
 */
type Shape = 'exact' | 'prefix' | 'suffix' | 'contains' | 'any' | 'walk';
type Segment =
  { kind: 'globstar'; atLeastOne: boolean } | { kind: 'part'; tokens: Token[]; onlyStars: boolean; literalStart: boolean; shape: Shape; literal: string };
interface Compiled {
  negate: boolean;
  segments: Segment[];
  /** The segments without wildcards: each must equal one of the path's segments, or it cannot match. */
  literals: string[];
  /** Text every match contains: the characters between the end stars of each segment that has stars (`_backups` of `*_backups`). */
  needles: string[];
  /** `**` then `*` with `dot`: every path whose last segment is not empty. */
  all: boolean;
}

const EXTGLOB = /(^|[^\\])[@!+?*]\(/;

/** Why a glob cannot be used, as a short phrase, or null when it is fine. */
export function globProblem(pattern: string): string | null {
  try {
    checkGlob(pattern.startsWith('!') && !pattern.startsWith('!(') ? pattern.slice(1) : pattern);
    return null;
  } catch (error) {
    if (error instanceof GlobError) return error.message;
    throw error;
  }
}

/** How many alternatives a valid glob expands to (0 for one with a problem). */
export function globAlternatives(pattern: string): number {
  try {
    return checkGlob(pattern.startsWith('!') && !pattern.startsWith('!(') ? pattern.slice(1) : pattern).length;
  } catch (error) {
    if (error instanceof GlobError) return 0;
    throw error;
  }
}

function checkGlob(pattern: string, braces = true): string[] {
  if (pattern.length > GLOB_LIMITS.maxLength) throw new GlobError(`pattern longer than ${GLOB_LIMITS.maxLength} characters (${pattern.length})`);
  if (!braces) return [pattern];
  if (EXTGLOB.test(pattern)) throw new GlobError('extended glob syntax such as @(a|b) is not supported; use {a,b}');
  return expandBraces(pattern, GLOB_LIMITS.maxAlternatives);
}

/**
 * Compiles globs (`*`, `**`, `?`, `[…]`, `[!…]`, `{a,b}`, `{1..3}`, `\` escapes, a leading `!` to
 * negate) into a predicate over posix paths that matches when any pattern does. Matching takes time
 * proportional to pattern length × path length at worst. Throws GlobError for a pattern over the limits.
 */
export function compileGlob(patterns: string | readonly string[], options: GlobOptions = {}): (text: string) => boolean {
  const nocase = options.nocase === true;
  const dot = options.dot !== false;
  const compiled: Compiled[] = [];
  for (const pattern of typeof patterns === 'string' ? [patterns] : patterns) {
    const negate = pattern.startsWith('!') && !pattern.startsWith('!(');
    for (const alternative of checkGlob(negate ? pattern.slice(1) : pattern, options.braces !== false)) {
      const segments = segmentsOf(alternative, nocase);
      const literals: string[] = [];
      const needles: string[] = [];
      for (const segment of segments) {
        if (segment.kind !== 'part' || segment.literal === '') continue;
        if (segment.shape === 'exact') literals.push(segment.literal);
        else if (segment.shape !== 'walk' && segment.shape !== 'any') needles.push(segment.literal);
      }
      const [first, last] = segments;
      const all = dot && segments.length === 2 && first.kind === 'globstar' && last.kind === 'part' && last.shape === 'any';
      compiled.push({ negate, segments, literals, needles, all });
    }
  }
  return (text) => {
    const lowered = nocase ? text.toLowerCase() : text;
    let parts: string[] | undefined;
    for (const c of compiled) {
      let matched: boolean;
      if (c.all) matched = lowered.length > 0 && !lowered.endsWith('/');
      else {
        // Quick necessary conditions first (most paths of a repository lie in no `**/node_modules/**`
        // and no `**/*_backups/**`): the path has every literal segment, its text every needle.
        const split = (parts ??= lowered.split('/'));
        matched =
          c.literals.every((literal) => split.includes(literal)) &&
          c.needles.every((needle) => lowered.includes(needle)) &&
          matchSegments(c.segments, split, dot);
      }
      if (matched !== c.negate) return true;
    }
    return false;
  };
}

/** Like compileGlob, but a pattern over the limits matches nothing instead of throwing (for globs read from scanned files). */
export function compileGlobLenient(patterns: string | readonly string[], options: GlobOptions = {}): (text: string) => boolean {
  const usable = (typeof patterns === 'string' ? [patterns] : patterns).filter((p) =>
    options.braces === false ? p.length <= GLOB_LIMITS.maxLength : globProblem(p) === null,
  );
  return compileGlob(usable, options);
}

/**
 * Whether `text` matches a dynamic name pattern such as `JWT_SECRET_*`: `*` is any run of characters
 * (even empty), every other character stands for itself. O(pattern × text) at worst.
 */
export function wildcardMatch(text: string, pattern: string, nocase = false): boolean {
  const t = nocase ? text.toLowerCase() : text;
  const p = nocase ? pattern.toLowerCase() : pattern;
  return starWalk(
    p.length,
    t,
    (pi) => p[pi] === '*',
    (pi, ch) => p[pi] === ch,
  );
}

/**
 * The classic wildcard walk that remembers the last star: no recursion, O(pattern × text) at worst.
 * `isStar(i)` says whether pattern item i is a star; `matches(i, ch)` whether it matches one character.
 */
function starWalk(length: number, text: string, isStar: (i: number) => boolean, matches: (i: number, ch: string) => boolean): boolean {
  let pi = 0;
  let ti = 0;
  let starP = -1;
  let starT = 0;
  while (ti < text.length) {
    if (pi < length && isStar(pi)) {
      starP = pi++;
      starT = ti;
    } else if (pi < length && matches(pi, text[ti])) {
      pi++;
      ti++;
    } else if (starP >= 0) {
      pi = starP + 1;
      ti = ++starT;
    } else {
      return false;
    }
  }
  while (pi < length && isStar(pi)) pi++;
  return pi === length;
}

/** The two position sets `matchSegments` alternates between, kept from call to call (a path has few segments). */
let reachA = new Uint8Array(64);
let reachB = new Uint8Array(64);

// Path segments against pattern segments: a set of reachable positions per pattern segment, `**` spanning any number.
function matchSegments(segments: Segment[], parts: string[], dot: boolean): boolean {
  if (reachA.length <= parts.length) {
    reachA = new Uint8Array(2 * (parts.length + 1));
    reachB = new Uint8Array(2 * (parts.length + 1));
  }
  let reach = reachA;
  let next = reachB;
  reach.fill(0, 0, parts.length + 1);
  reach[0] = 1;
  for (const segment of segments) {
    next.fill(0, 0, parts.length + 1);
    let any = false;
    if (segment.kind === 'globstar') {
      let open = false;
      for (let j = 0; j <= parts.length; j++) {
        const opened = !open && reach[j] === 1;
        if (reach[j]) open = true;
        if (open && !(segment.atLeastOne && opened)) {
          next[j] = 1;
          any = true;
        }
        // Without `dot`, `**` does not cross a segment that starts with a dot.
        if (!dot && j < parts.length && parts[j].startsWith('.')) open = false;
      }
    } else {
      for (let j = 0; j < parts.length; j++) {
        if (reach[j] && matchPart(segment, parts[j], dot)) {
          next[j + 1] = 1;
          any = true;
        }
      }
    }
    if (!any) return false;
    [reach, next] = [next, reach];
  }
  return reach[parts.length] === 1;
}

/** A segment's shape, and the characters between its end stars. */
function shapeOf(tokens: Token[], onlyStars: boolean): { shape: Shape; literal: string } {
  if (onlyStars) return { shape: 'any', literal: '' };
  const leading = tokens[0]?.kind === 'star';
  const trailing = tokens.length > 1 && tokens.at(-1)?.kind === 'star';
  const inner = tokens.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  let literal = '';
  for (const token of inner) {
    if (token.kind !== 'char') return { shape: 'walk', literal: '' };
    literal += token.ch;
  }
  return { shape: leading ? (trailing ? 'contains' : 'suffix') : trailing ? 'prefix' : 'exact', literal };
}

// One segment: by its shape, else the star walk over its tokens.
function matchPart(segment: Extract<Segment, { kind: 'part' }>, text: string, dot: boolean): boolean {
  if (segment.onlyStars && text.length === 0) return false;
  if (!dot && !segment.literalStart && text.startsWith('.')) return false;
  switch (segment.shape) {
    case 'exact':
      return text === segment.literal;
    case 'prefix':
      return text.startsWith(segment.literal);
    case 'suffix':
      return text.endsWith(segment.literal);
    case 'contains':
      return text.includes(segment.literal);
    case 'any':
      return true;
    case 'walk':
      break;
  }
  const tokens = segment.tokens;
  return starWalk(
    tokens.length,
    text,
    (pi) => tokens[pi].kind === 'star',
    (pi, ch) => single(tokens[pi], ch),
  );
}

function single(token: Token, ch: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.ch === ch;
    case 'any':
      return ch !== '/';
    case 'class': {
      const inside = token.ranges.some(([lo, hi]) => lo <= ch && ch <= hi);
      return inside !== token.negate;
    }
    case 'star':
      return false;
  }
}

function segmentsOf(pattern: string, nocase: boolean): Segment[] {
  let body = pattern;
  while (body.startsWith('./')) body = body.slice(2);
  const out: Segment[] = [];
  for (const raw of splitUnescaped(body)) {
    if (raw === '**') {
      if (out.at(-1)?.kind !== 'globstar') out.push({ kind: 'globstar', atLeastOne: false });
      continue;
    }
    const tokens = tokenize(raw, nocase);
    const onlyStars = tokens.length > 0 && tokens.every((t) => t.kind === 'star');
    out.push({ kind: 'part', tokens, onlyStars, literalStart: tokens[0]?.kind === 'char' || tokens[0]?.kind === 'class', ...shapeOf(tokens, onlyStars) });
  }
  // As in picomatch, a trailing `/**` also matches the folder itself, unless the segment before it ends with `*`.
  const last = out.at(-1);
  const before = out.at(-2);
  if (last?.kind === 'globstar' && before?.kind === 'part' && before.tokens.at(-1)?.kind === 'star') last.atLeastOne = true;
  return out;
}

function splitUnescaped(pattern: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      current += ch + pattern[++i];
    } else if (ch === '/') {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

function tokenize(segment: string, nocase: boolean): Token[] {
  const fold = (ch: string): string => (nocase ? ch.toLowerCase() : ch);
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch === '\\' && i + 1 < segment.length) {
      tokens.push({ kind: 'char', ch: fold(segment[++i]) });
    } else if (ch === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (ch === '?') {
      tokens.push({ kind: 'any' });
    } else if (ch === '[') {
      const parsed = bracket(segment, i, fold);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        tokens.push({ kind: 'char', ch: '[' });
      }
    } else {
      tokens.push({ kind: 'char', ch: fold(ch) });
    }
  }
  return tokens;
}

// `[abc]`, `[a-z]`, `[!x]` / `[^x]`; an unclosed bracket is a literal `[`.
function bracket(segment: string, start: number, fold: (ch: string) => string): { token: Token; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (segment[i] === '!' || segment[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: [string, string][] = [];
  let first = true;
  while (i < segment.length) {
    let ch = segment[i];
    if (ch === ']' && !first) {
      return { token: { kind: 'class', negate, ranges }, end: i };
    }
    first = false;
    if (ch === '\\' && i + 1 < segment.length) ch = segment[++i];
    if (segment[i + 1] === '-' && i + 2 < segment.length && segment[i + 2] !== ']') {
      let hi = segment[i + 2];
      let skip = 2;
      if (hi === '\\' && i + 3 < segment.length) {
        hi = segment[i + 3];
        skip = 3;
      }
      pushRange(ranges, ch, hi, fold);
      i += skip + 1;
      continue;
    }
    pushRange(ranges, ch, ch, fold);
    i++;
  }
  return null;
}

// Case-insensitive matching lower-cases the text, so a range is lower-cased too when that keeps it ordered.
function pushRange(ranges: [string, string][], lo: string, hi: string, fold: (ch: string) => string): void {
  if (lo > hi) return;
  ranges.push(fold(lo) <= fold(hi) ? [fold(lo), fold(hi)] : [lo, hi]);
}

/** Expands `{a,b}` alternatives and `{1..3}` / `{a..e}` ranges (nested too); throws GlobError past `limit` results. */
function expandBraces(pattern: string, limit: number): string[] {
  const out: string[] = [];
  const work: string[] = [pattern];
  while (work.length > 0) {
    const current = work.pop() as string;
    const brace = firstBrace(current);
    if (!brace) {
      out.push(current);
      if (out.length > limit) throw new GlobError(`braces expand to more than ${limit} alternatives`);
      continue;
    }
    if (out.length + work.length + brace.count > limit) throw new GlobError(`braces expand to more than ${limit} alternatives`);
    const prefix = current.slice(0, brace.start);
    const suffix = current.slice(brace.end + 1);
    const alternatives = brace.alternatives();
    for (let k = alternatives.length - 1; k >= 0; k--) work.push(prefix + alternatives[k] + suffix);
  }
  return out;
}

interface Brace {
  start: number;
  end: number;
  count: number;
  alternatives: () => string[];
}

const NUMERIC_RANGE = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/;
const CHAR_RANGE = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/;

// The first `{…}` that expands: it holds a top-level comma or is a range. Other braces are literal.
function firstBrace(pattern: string): Brace | null {
  for (let start = 0; start < pattern.length; start++) {
    if (pattern[start] === '\\') {
      start++;
      continue;
    }
    if (pattern[start] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    let end = -1;
    for (let i = start; i < pattern.length; i++) {
      const ch = pattern[i];
      if (ch === '\\') {
        i++;
      } else if (ch === '{') {
        depth++;
      } else if (ch === '}') {
        depth--;
        if (depth === 0) {
          end = i;
          break;
        }
      } else if (ch === ',' && depth === 1) {
        commas.push(i);
      }
    }
    if (end < 0) return null;
    const inner = pattern.slice(start + 1, end);
    if (commas.length > 0) {
      const cuts = [start, ...commas, end];
      return {
        start,
        end,
        count: cuts.length - 1,
        alternatives: () => cuts.slice(1).map((cut, k) => pattern.slice(cuts[k] + 1, cut)),
      };
    }
    const range = rangeOf(inner);
    if (range) return { start, end, ...range };
  }
  return null;
}

function rangeOf(inner: string): { count: number; alternatives: () => string[] } | null {
  const numeric = NUMERIC_RANGE.exec(inner);
  const letters = numeric ? null : CHAR_RANGE.exec(inner);
  const match = numeric ?? letters;
  if (!match) return null;
  const from = numeric ? Number(match[1]) : match[1].charCodeAt(0);
  const to = numeric ? Number(match[2]) : match[2].charCodeAt(0);
  const step = Math.abs(Number(match[3] ?? 1)) || 1;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return { count: Number.MAX_SAFE_INTEGER, alternatives: () => [] };
  const count = Math.floor(Math.abs(to - from) / step) + 1;
  const padded = numeric !== null && (/^-?0\d/.test(match[1]) || /^-?0\d/.test(match[2]));
  const width = padded ? Math.max(match[1].replace('-', '').length, match[2].replace('-', '').length) : 0;
  return {
    count,
    alternatives: () => {
      const out: string[] = [];
      const direction = to >= from ? 1 : -1;
      for (let k = 0; k < count; k++) {
        const value = from + direction * k * step;
        if (!numeric) out.push(String.fromCharCode(value));
        else out.push(value < 0 ? `-${String(-value).padStart(width, '0')}` : String(value).padStart(width, '0'));
      }
      return out;
    },
  };
}
