// Source snippets of findings: every line is cut into the language's tokens, and every string, value and comment token not proven harmless is masked.
import { CST, Lexer } from 'yaml';
import type { Language, Loc } from './facts.js';
import { LineIndex, usesUnicodeLineBreaks } from '../util/lines.js';
import { parseSourceFile } from './typescript-lib.js';
import { lineEnd, rangesOfLines, sortRanges, type LineTokens, type Range } from './token-ranges.js';
import { literalNodes, typescriptTokenRanges } from './typescript/tokens.js';
import { harmless, looksLikeEnvName, redacted } from '../util/redact.js';

/** A file's tokens: the classified ranges, and how text outside them counts (`code` in programs, `value` in env files). */
interface Tokens {
  ranges: Range[];
  rest: 'code' | 'value';
}

/** A finding's source line as shown: masked, cut to a window around the span, with the span's columns in the shown text. */
export interface Snippet {
  text: string;
  /** 1-based columns of the finding's span in `text` (`endColumn` exclusive). */
  column: number;
  endColumn: number;
}

/** Widest snippet shown; longer lines (minified files) are cut around the span. */
export const MAX_SNIPPET_WIDTH = 160;
const CONTEXT_WIDTH = 60;

/**
 * Builds the snippet of each location's first line. Tokens come from the language's own lexer (the
 * TypeScript parser, the `yaml` lexer, small lexers for Python, dotenv, shell, Dockerfile and HCL);
 * `secretSpans` (the extractor's secret literals) are masked whatever the lexer says. Line numbers
 * use the same line breaks as the extractors (`src/util/lines.ts`). Never throws: a file that cannot
 * be tokenised is masked whole. A TypeScript or JavaScript file's ranges come from `lineTokens` (what
 * its extractor handed over for the lines its facts are on) when they cover every location's line,
 * else from the cache `store`, else from a parse.
 */
export function buildSnippets(
  path: string,
  text: string,
  language: Language | null,
  locs: Loc[],
  secretSpans: Loc[] = [],
  store?: RangeStore,
  lineTokens?: LineTokens,
): (Snippet | null)[] {
  const index = new LineIndex(text, language !== null && usesUnicodeLineBreaks(language));
  let tokens: Tokens;
  try {
    const given =
      (language === 'ts' || language === 'js') && lineTokens
        ? rangesOfLines(
            lineTokens,
            text.length,
            locs.map((loc) => loc.line),
          )
        : null;
    tokens = given ? { ranges: given, rest: 'code' } : language === null ? { ranges: [], rest: 'value' } : tokenize(path, text, language, store);
  } catch {
    tokens = { ranges: [], rest: 'value' };
  }
  const forced = secretSpans.map((s) => ({ start: index.offset(s.line, s.column), end: index.offset(s.endLine, s.endColumn) })).filter((s) => s.end > s.start);
  return locs.map((loc) => {
    const line = index.lineRange(loc.line);
    if (!line) return null;
    const start = index.offset(loc.line, loc.column);
    const end = loc.endLine === loc.line ? Math.max(start, index.offset(loc.line, loc.endColumn)) : line.end;
    const onLine = forced.filter((f) => f.end > line.start && f.start < line.end);
    return render(text, line, tokens, onLine, start, end);
  });
}

interface Piece {
  from: number;
  to: number;
  /** Shown text; for masked pieces the marker (with the token's quotes). */
  shown: string;
  masked: boolean;
}

function render(
  text: string,
  line: { start: number; end: number },
  tokens: Tokens,
  forced: { start: number; end: number }[],
  spanStart: number,
  spanEnd: number,
): Snippet {
  const pieces: Piece[] = [];
  const keep = (from: number, to: number): void => {
    // Kept text may still overlap a forced secret span: mask those parts.
    let at = from;
    for (const f of forced) {
      if (f.end <= at || f.start >= to) continue;
      if (f.start > at) pieces.push({ from: at, to: f.start, shown: text.slice(at, f.start), masked: false });
      const cut = Math.min(to, f.end);
      mask(Math.max(at, f.start), cut, '');
      at = cut;
    }
    if (at < to) pieces.push({ from: at, to, shown: text.slice(at, to), masked: false });
  };
  const mask = (from: number, to: number, quote: string): void => {
    pieces.push({ from, to, shown: quote + redacted(to - from - 2 * quote.length) + quote, masked: true });
  };
  const gap = (from: number, to: number): void => {
    if (from >= to) return;
    if (tokens.rest === 'code') return keep(from, to);
    // Outside known tokens of an env file: whitespace is shown, everything else masked.
    const re = /\S+/g;
    const chunk = text.slice(from, to);
    let at = 0;
    for (const m of chunk.matchAll(re)) {
      const s = m.index ?? 0;
      if (s > at) keep(from + at, from + s);
      mask(from + s, from + s + m[0].length, '');
      at = s + m[0].length;
    }
    if (at < chunk.length) keep(from + at, to);
  };
  let at = line.start;
  for (const r of overlapping(tokens.ranges, line.start, line.end)) {
    const from = Math.max(r.start, line.start);
    const to = Math.min(r.end, line.end);
    gap(at, from);
    at = Math.max(at, to);
    if (from >= to) continue;
    if (r.kind === 'code') {
      keep(from, to);
      continue;
    }
    const whole = from === r.start && to === r.end;
    const raw = text.slice(from, to);
    const quote = whole && raw.length >= 2 && /^["'`]/.test(raw) && raw.endsWith(raw[0]) ? raw[0] : '';
    const content = quote ? raw.slice(1, -1) : raw;
    if (r.kind !== 'comment' && whole && !content.includes('\n') && harmless(stripPrefix(content, r.kind), r.kind)) keep(from, to);
    else if (/^\s+$/.test(raw)) keep(from, to);
    else mask(from, to, quote);
  }
  gap(at, line.end);
  return window(pieces, spanStart, spanEnd);
}

// A Python string prefix (`f"`, `rb'`) and a template piece's backtick, `}` and `${` are part of the token, not of its content.
function stripPrefix(content: string, kind: Range['kind']): string {
  if (kind === 'fragment') return content.replace(/^[`}]/, '').replace(/(`|\$\{)$/, '');
  return kind === 'string' || kind === 'key' ? content.replace(/^[rRbBfFuU]{1,2}(["'])([\s\S]*)\1$/, '$2') : content;
}

function overlapping(ranges: Range[], start: number, end: number): Range[] {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ranges[mid].end <= start) low = mid + 1;
    else high = mid;
  }
  const out: Range[] = [];
  for (let i = low; i < ranges.length && ranges[i].start < end; i++) out.push(ranges[i]);
  return out;
}

// Cuts the shown line to a window around the span (never inside a mask) and places the caret.
function window(pieces: Piece[], spanStart: number, spanEnd: number): Snippet {
  let shown = 0;
  const placed = pieces.map((p) => {
    const at = shown;
    shown += p.shown.length;
    return { ...p, at };
  });
  const column = (offset: number, edge: 'start' | 'end'): number => {
    for (const p of placed) {
      const inside = edge === 'start' ? offset >= p.from && offset < p.to : offset > p.from && offset <= p.to;
      if (!inside) continue;
      if (p.masked) return edge === 'start' ? p.at : p.at + p.shown.length;
      return p.at + (offset - p.from);
    }
    const before = placed.filter((p) => p.to <= offset);
    return before.length > 0 ? before[before.length - 1].at + before[before.length - 1].shown.length : 0;
  };
  let caretFrom = column(spanStart, 'start');
  let caretTo = Math.max(caretFrom, column(spanEnd, 'end'));
  const full = placed.map((p) => p.shown).join('');
  if (full.length <= MAX_SNIPPET_WIDTH) return { text: full, column: caretFrom + 1, endColumn: caretTo + 1 };
  let from = Math.max(0, caretFrom - CONTEXT_WIDTH);
  let to = Math.min(full.length, Math.max(caretTo, caretFrom + 1) + CONTEXT_WIDTH, from + MAX_SNIPPET_WIDTH);
  // Widen the cut so no mask is split.
  for (const p of placed) {
    if (!p.masked) continue;
    const end = p.at + p.shown.length;
    if (p.at < from && end > from) from = p.at;
    if (p.at < to && end > to) to = end;
  }
  const head = from > 0 ? '…' : '';
  const tail = to < full.length ? '…' : '';
  caretFrom = Math.min(Math.max(caretFrom, from), to) - from + head.length;
  caretTo = Math.min(Math.max(caretTo, from), to) - from + head.length;
  return { text: head + full.slice(from, to) + tail, column: caretFrom + 1, endColumn: Math.max(caretTo, caretFrom) + 1 };
}

/**
 * Keeps one file's TypeScript token ranges between scans (they cost a parse, and loading the
 * compiler): `load` gives what `save` stored for the same file content and code, or null.
 */
export interface RangeStore {
  load(): string | null;
  save(payload: string): void;
}

/** The kinds `typescriptRanges` gives (never `code`: a stored range can only mask). */
const RANGE_KINDS = new Set<string>(['comment', 'string', 'fragment', 'key', 'module']);

/** Stored ranges, only when every one is well formed (anything else is computed again: a wrong range could unmask a value). */
function storedRanges(payload: string | null, length: number): Range[] | null {
  if (payload === null) return null;
  try {
    const value: unknown = JSON.parse(payload);
    if (!Array.isArray(value)) return null;
    const ok = value.every((r: unknown) => {
      const range = r as Partial<Range> | null;
      return (
        typeof range === 'object' &&
        range !== null &&
        Number.isInteger(range.start) &&
        Number.isInteger(range.end) &&
        (range.start as number) >= 0 &&
        (range.end as number) <= length &&
        typeof range.kind === 'string' &&
        RANGE_KINDS.has(range.kind)
      );
    });
    return ok ? (value as Range[]) : null;
  } catch {
    return null;
  }
}

function tokenize(path: string, text: string, language: Language, store?: RangeStore): Tokens {
  switch (language) {
    case 'ts':
    case 'js': {
      const stored = store ? storedRanges(store.load(), text.length) : null;
      if (stored) return { ranges: stored, rest: 'code' };
      const ranges = typescriptRanges(path, text, language);
      store?.save(JSON.stringify(ranges));
      return { ranges, rest: 'code' };
    }
    case 'python':
      return { ranges: pythonRanges(text), rest: 'code' };
    case 'yaml':
    case 'json':
      return { ranges: yamlRanges(text), rest: 'value' };
    case 'dotenv':
      return { ranges: dotenvRanges(text), rest: 'value' };
    case 'shell':
      return { ranges: sortRanges(shellRanges(text, 0, text.length, true)), rest: 'value' };
    case 'dockerfile':
      return { ranges: dockerfileRanges(text), rest: 'value' };
    case 'hcl':
      return { ranges: hclRanges(text), rest: 'code' };
  }
}

// TypeScript/JavaScript: the parse's literals and the comments between them.
function typescriptRanges(path: string, text: string, language: 'ts' | 'js'): Range[] {
  const sf = parseSourceFile(path, text, language);
  return typescriptTokenRanges(sf, literalNodes(sf));
}

// Python: string literals (prefixes, triple quotes, escapes) and `#` comments.
function pythonRanges(text: string): Range[] {
  const out: Range[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      const end = lineEnd(text, i);
      out.push({ start: i, end, kind: 'comment' });
      i = end;
      continue;
    }
    if (c === '"' || c === "'") {
      let start = i;
      while (start > 0 && /[rRbBfFuU]/.test(text[start - 1]) && i - start < 2) start--;
      if (start > 0 && /[\w]/.test(text[start - 1])) start = i;
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < text.length) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text.startsWith(quote, j)) {
          j += quote.length;
          break;
        }
        if (!triple && (text[j] === '\n' || text[j] === '\r')) break;
        j++;
      }
      let k = j;
      while (text[k] === ' ' || text[k] === '\t') k++;
      out.push({ start, end: Math.min(j, text.length), kind: text[k] === ':' && !triple ? 'key' : 'string' });
      i = Math.max(j, i + 1);
      continue;
    }
    i++;
  }
  return out;
}

// dotenv: the extractor's own line grammar; names and `export` are code, values and comments masked.
const DOTENV_LINE = /(?:^|^)\s*(export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(#.*)?(?:$|$)/dgm;

function dotenvRanges(text: string): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(DOTENV_LINE)) {
    const d = m.indices;
    if (!d) continue;
    if (d[1]) out.push({ start: d[1][0], end: d[1][1], kind: 'code' });
    if (d[2]) out.push({ start: d[2][0], end: d[2][1], kind: 'key' });
    const nameEnd = d[2] ? d[2][1] : (m.index ?? 0);
    const valueStart = d[3] ? d[3][0] : d[4] ? d[4][0] : (m.index ?? 0) + m[0].length;
    // The separator between name and value (`=`, `: `).
    if (valueStart > nameEnd) out.push({ start: nameEnd, end: valueStart, kind: 'code' });
    if (d[3]) {
      const lead = m[3].length - m[3].trimStart().length;
      const trail = m[3].length - m[3].trimEnd().length;
      out.push({ start: d[3][0] + lead, end: d[3][1] - trail, kind: 'value' });
    }
    if (d[4]) out.push({ start: d[4][0], end: d[4][1], kind: 'comment' });
  }
  return sortRanges(out);
}

const SHELL_KEYS = new Set(['run', 'script', 'command', 'args', 'entrypoint', 'before_script', 'after_script', 'cmd']);

// YAML and JSON: the `yaml` lexer's tokens; structure and name-like keys are code, scalars are values
// (a `NAME=value` list item shows its name), comments are masked.
function yamlRanges(text: string): Range[] {
  const tokens: { type: string; start: number; end: number }[] = [];
  let offset = 0;
  let scalarNext = false;
  for (const source of new Lexer().lex(text)) {
    if (source === '\x02' || source === '\x18') continue;
    if (source === '\x1f') {
      scalarNext = true;
      continue;
    }
    const type = scalarNext ? 'scalar' : (CST.tokenType(source) ?? 'error');
    scalarNext = false;
    tokens.push({ type, start: offset, end: offset + source.length });
    offset += source.length;
  }
  if (offset !== text.length) throw new Error('yaml lexer offsets do not cover the text');
  const out: Range[] = [];
  let lastKey = '';
  let blockNext = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type === 'block-scalar-header') blockNext = true;
    else if (t.type === 'scalar' && blockNext) {
      blockNext = false;
      // A CI or container command block is shell: its commands and names stay readable, values do not.
      if (SHELL_KEYS.has(lastKey)) out.push(...shellRanges(text, t.start, t.end, true));
      else out.push({ start: t.start, end: t.end, kind: 'value' });
      continue;
    }
    switch (t.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar': {
        let n = k + 1;
        while (n < tokens.length && tokens[n].type === 'space') n++;
        const isKey = tokens[n]?.type === 'map-value-ind';
        if (isKey) {
          out.push({ start: t.start, end: t.end, kind: 'key' });
          lastKey = text.slice(t.start, t.end).replace(/^["']|["']$/g, '');
          break;
        }
        const eq = /^\s*["']?([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(text.slice(t.start, t.end));
        if (eq && t.type === 'scalar') {
          const name = t.start + eq.index + eq[0].indexOf(eq[1]);
          out.push({ start: t.start, end: name, kind: 'code' });
          out.push({ start: name, end: name + eq[1].length, kind: 'key' });
          out.push({ start: name + eq[1].length, end: t.start + eq[0].length, kind: 'code' });
          out.push({ start: t.start + eq[0].length, end: t.end, kind: 'value' });
        } else out.push({ start: t.start, end: t.end, kind: 'value' });
        break;
      }
      case 'comment':
        out.push({ start: t.start, end: t.end, kind: 'comment' });
        break;
      case 'error':
        out.push({ start: t.start, end: t.end, kind: 'value' });
        break;
      default:
        out.push({ start: t.start, end: t.end, kind: 'code' });
    }
  }
  return sortRanges(out);
}

const DOCKERFILE_INSTRUCTION = /^[ \t]*([A-Za-z]+)(?=[ \t]|$)/;

// Dockerfile: the instruction keyword is code, its arguments are shell words.
function dockerfileRanges(text: string): Range[] {
  const out: Range[] = [];
  let i = 0;
  while (i < text.length) {
    // A logical line runs on while a physical line ends with a backslash.
    let end = i;
    for (;;) {
      end = lineEnd(text, end);
      let back = end;
      while (back > i && (text[back - 1] === ' ' || text[back - 1] === '\t')) back--;
      if (text[back - 1] !== '\\' || end >= text.length) break;
      end = text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
    }
    const m = DOCKERFILE_INSTRUCTION.exec(text.slice(i, end));
    if (m && !text.slice(i, end).trimStart().startsWith('#')) {
      const kwEnd = i + m[0].length;
      out.push({ start: i, end: kwEnd, kind: 'code' });
      out.push(...shellRanges(text, kwEnd, end, /^(RUN|CMD|ENTRYPOINT|SHELL|HEALTHCHECK)$/i.test(m[1])));
    } else {
      out.push(...shellRanges(text, i, end, true));
    }
    i = end < text.length ? (text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1) : end;
  }
  return sortRanges(out);
}

/** A command name: lower-case path-like words (`docker`, `./deploy.sh`, `/usr/bin/gcloud`), without long digit runs. */
const COMMAND_WORD = /^(?!.*\d{4})[a-z0-9._/@+-]+$/;
/** Sub-commands and keywords of the deploy tools whose commands jwtfrag reads; shown wherever they appear. */
const SHELL_KEYWORDS = new Set(
  `run exec build push pull deploy compose up down start stop restart install apply set create get update delete rm cp mv
  beta alpha services service secrets versions access add login logout tag logs env then else fi do done if for in while case esac
  export source sudo echo true false`.split(/\s+/),
);
const ASSIGNMENT = /^(["']?)([A-Za-z_][A-Za-z0-9_]*)=/;

// Shell: comments, heredoc bodies and values are masked; command names, flags and assigned names are code.
function shellRanges(text: string, from: number, to: number, commandStart: boolean): Range[] {
  const out: Range[] = [];
  const heredocs: { delimiter: string; strip: boolean }[] = [];
  let atCommand = commandStart;
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      atCommand = true;
      while (heredocs.length > 0 && i < to) {
        const doc = heredocs.shift() as { delimiter: string; strip: boolean };
        const bodyStart = i;
        for (;;) {
          const end = lineEnd(text, i);
          const lineText = text.slice(i, end);
          const next = end < to ? (text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1) : end;
          if ((doc.strip ? lineText.replace(/^\t+/, '') : lineText) === doc.delimiter || end >= to) {
            out.push({ start: bodyStart, end: i, kind: 'value' });
            out.push({ start: i, end, kind: 'code' });
            i = next;
            break;
          }
          i = next;
        }
      }
      continue;
    }
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      out.push({ start: i, end: i + 1, kind: 'code' });
      i += text[i + 1] === '\r' && text[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (c === '#') {
      const end = Math.min(lineEnd(text, i), to);
      out.push({ start: i, end, kind: 'comment' });
      i = end;
      continue;
    }
    if (';&|()'.includes(c)) {
      out.push({ start: i, end: i + 1, kind: 'code' });
      atCommand = true;
      i++;
      continue;
    }
    const heredoc = /^<<(-?)[ \t]*(["']?)([A-Za-z_][\w]*)\2/.exec(text.slice(i, Math.min(to, i + 200)));
    if (heredoc) {
      heredocs.push({ delimiter: heredoc[3], strip: heredoc[1] === '-' });
      out.push({ start: i, end: i + heredoc[0].length, kind: 'code' });
      i += heredoc[0].length;
      continue;
    }
    if (c === '<' || c === '>') {
      out.push({ start: i, end: i + 1, kind: 'code' });
      i++;
      continue;
    }
    const end = wordEnd(text, i, to);
    classifyWord(text, i, end, atCommand, out);
    const assignment = ASSIGNMENT.test(text.slice(i, end)) && !/^["']/.test(text[i]);
    if (!assignment) atCommand = false;
    i = Math.max(end, i + 1);
  }
  return out;
}

function wordEnd(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || ';&|()<>'.includes(c)) break;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < to && text[j] !== c) j += c !== "'" && text[j] === '\\' ? 2 : 1;
      i = Math.min(j + 1, to);
      continue;
    }
    if (c === '$' && (text[i + 1] === '{' || text[i + 1] === '(')) {
      const close = text[i + 1] === '{' ? '}' : ')';
      let depth = 0;
      let j = i + 1;
      for (; j < to; j++) {
        if (text[j] === text[i + 1]) depth++;
        else if (text[j] === close && --depth === 0) break;
      }
      i = Math.min(j + 1, to);
      continue;
    }
    i++;
  }
  return Math.min(i, to);
}

function classifyWord(text: string, start: number, end: number, atCommand: boolean, out: Range[]): void {
  const word = text.slice(start, end);
  const assignment = ASSIGNMENT.exec(word) ?? (/^-/.test(word) ? /^(-{1,2}[\w-]+=)(["']?)([A-Za-z_][A-Za-z0-9_]*=)?/.exec(word) : null);
  if (assignment) {
    const nameEnd = start + assignment[0].length;
    const name = /[A-Za-z_][A-Za-z0-9_]*(?==$)/.exec(assignment[0]);
    if (name) {
      out.push({ start, end: start + name.index, kind: 'code' });
      out.push({ start: start + name.index, end: nameEnd - 1, kind: 'key' });
      out.push({ start: nameEnd - 1, end: nameEnd, kind: 'code' });
    } else out.push({ start, end: nameEnd, kind: 'code' });
    if (end > nameEnd) out.push({ start: nameEnd, end, kind: 'value' });
    return;
  }
  if (/^-{1,2}[\w-]*$/.test(word) || SHELL_KEYWORDS.has(word) || looksLikeEnvName(word) || (atCommand && COMMAND_WORD.test(word) && word.length <= 40)) {
    out.push({ start, end, kind: 'code' });
    return;
  }
  out.push({ start, end, kind: 'value' });
}

// HCL (Terraform): strings and heredocs are values, comments masked, the rest code.
function hclRanges(text: string): Range[] {
  const out: Range[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = lineEnd(text, i);
      out.push({ start: i, end, kind: 'comment' });
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      out.push({ start: i, end, kind: 'comment' });
      i = end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < text.length) {
        const d = text[j];
        if (d === '\\') j += 2;
        else if ((d === '$' || d === '%') && text[j + 1] === '{') {
          depth++;
          j += 2;
        } else if (d === '}' && depth > 0) {
          depth--;
          j++;
        } else if (d === '"' && depth === 0) {
          j++;
          break;
        } else if ((d === '\n' || d === '\r') && depth === 0) break;
        else j++;
      }
      out.push({ start: i, end: Math.min(j, text.length), kind: 'string' });
      i = Math.max(j, i + 1);
      continue;
    }
    const heredoc = /^<<(-?)([A-Za-z_]\w*)/.exec(text.slice(i, i + 200));
    if (heredoc) {
      const bodyStart = lineEnd(text, i);
      let j = bodyStart;
      let bodyEnd = text.length;
      while (j < text.length) {
        j += text[j] === '\r' && text[j + 1] === '\n' ? 2 : 1;
        const end = lineEnd(text, j);
        if (text.slice(j, end).trim() === heredoc[2]) {
          bodyEnd = j;
          break;
        }
        j = end;
      }
      out.push({ start: bodyStart, end: bodyEnd, kind: 'value' });
      i = bodyEnd;
      continue;
    }
    i++;
  }
  return sortRanges(out);
}
