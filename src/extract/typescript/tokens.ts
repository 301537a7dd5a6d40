// The ranges a TypeScript/JavaScript snippet masks: literals from the parse (strings, templates, regular expressions, JSX text; module specifiers and property names apart), comments from a scan of the text between them.
import type { ts } from 'ts-morph';
import { typescriptLib } from '../typescript-lib.js';
import { lineEnd, linesIn, sortRanges, tokensOnLines, type LineTokens, type Range } from '../token-ranges.js';

/**
 * The literals a snippet masks: strings, template pieces, regular expressions and JSX text. They are
 * the node kinds from `first` to `last` but the scanner-only `skipped` (`JsxTextAllWhiteSpaces`), so
 * that the extractor's walk, which asks it of every node, needs only a range check.
 */
export function maskedLiteralKinds(): { first: ts.SyntaxKind; last: ts.SyntaxKind; skipped: ts.SyntaxKind } {
  const SK = typescriptLib().SyntaxKind;
  return { first: SK.StringLiteral, last: SK.TemplateTail, skipped: SK.JsxTextAllWhiteSpaces };
}

let literalBounds: { first: ts.SyntaxKind; last: ts.SyntaxKind; skipped: ts.SyntaxKind } | null = null;

/** Whether a node of this kind is a literal a snippet masks (see `maskedLiteralKinds`). */
export function isMaskedLiteral(kind: ts.SyntaxKind): boolean {
  literalBounds ??= maskedLiteralKinds();
  return kind >= literalBounds.first && kind <= literalBounds.last && kind !== literalBounds.skipped;
}

/** Every literal node of a parse, in no particular order. */
export function literalNodes(sf: ts.SourceFile): ts.Node[] {
  const ts = typescriptLib();
  const out: ts.Node[] = [];
  const stack: ts.Node[] = [sf];
  const push = (child: ts.Node): void => void stack.push(child);
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (isMaskedLiteral(node.kind)) out.push(node);
    ts.forEachChild(node, push);
  }
  return out;
}

/**
 * The masked ranges of a parsed file, sorted and merged: `literals` are its literal nodes (every one,
 * in any order). Comments are found between the literals: a `/` outside them that starts `//` or `/*`.
 */
export function typescriptTokenRanges(sf: ts.SourceFile, literals: readonly ts.Node[]): Range[] {
  const text = sf.text;
  const ranges: Range[] = [];
  for (const node of literals) ranges.push(classify(sf, node, node.getStart(sf)));
  const sorted = sortRanges(ranges);
  const out = [...sorted];
  let i = 0;
  let next = 0;
  while (i < text.length) {
    if (next < sorted.length && i >= sorted[next].start) {
      i = Math.max(i, sorted[next].end);
      next++;
      continue;
    }
    const stop = next < sorted.length ? sorted[next].start : text.length;
    const slash = text.indexOf('/', i);
    if (slash < 0 || slash >= stop) {
      i = stop;
      continue;
    }
    if (text[slash + 1] === '/') {
      const end = lineEnd(text, slash, true);
      out.push({ start: slash, end, kind: 'comment' });
      i = end;
    } else if (text[slash + 1] === '*') {
      const close = text.indexOf('*/', slash + 2);
      const end = close < 0 ? text.length : close + 2;
      out.push({ start: slash, end, kind: 'comment' });
      i = end;
    } else i = slash + 1;
    while (next < sorted.length && sorted[next].end <= i) next++;
  }
  return sortRanges(out);
}

function isPropertyName(node: ts.Node): boolean {
  const ts = typescriptLib();
  const parent = node.parent;
  return !!parent && (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent)) && parent.name === node;
}

function isModuleSpecifier(node: ts.Node): boolean {
  const ts = typescriptLib();
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent)) return true;
  if (ts.isCallExpression(parent) && parent.arguments[0] === node) {
    return parent.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(parent.expression) && parent.expression.text === 'require');
  }
  return ts.isLiteralTypeNode(parent) && ts.isImportTypeNode(parent.parent);
}

/**
 * What `tokensOnLines(text, typescriptTokenRanges(sf, literals), lines, starts)` gives, for a parse
 * without syntax errors and its literals in source order, without classifying every literal: a
 * literal's start (after its leading trivia) is computed only where `//` or `/*` falls in its span,
 * or where it meets one of the lines. In code that parses, a `//` or `/*` outside every literal
 * starts a comment, and no comment runs into a literal or literals into each other (with syntax
 * errors the caller computes every range instead).
 */
export function typescriptLineTokens(
  sf: ts.SourceFile,
  literals: readonly ts.Node[],
  lines: ReadonlySet<number>,
  starts: readonly number[],
): LineTokens | null {
  const text = sf.text;
  const ranges: Range[] = [];
  const spans = linesIn(lines, starts);
  // Span k: its line with the terminator, [spanStart(k), spanEnd(k)).
  const spanStart = (k: number): number => starts[spans[k] - 1];
  const spanEnd = (k: number): number => (spans[k] < starts.length ? starts[spans[k]] : text.length + 1);
  // The literals and the comments in one pass, in source order: `next` is the first literal not yet
  // passed, `line` the first span that does not end before it.
  let next = 0;
  let line = 0;
  const keepIfOnLine = (node: ts.Node): void => {
    while (line < spans.length && spanEnd(line) <= node.pos) line++;
    if (line === spans.length || node.end <= spanStart(line)) return;
    // Its span may begin on an earlier line (leading trivia): the token itself must meet a line.
    const start = node.getStart(sf);
    for (let k = line; k < spans.length && spanStart(k) < node.end; k++) {
      if (start < spanEnd(k)) {
        if (node.end > start) ranges.push(classify(sf, node, start));
        return;
      }
    }
  };
  const passUpTo = (offset: number): void => {
    for (; next < literals.length && literals[next].end <= offset; next++) keepIfOnLine(literals[next]);
  };
  // Nothing from the end of the last line on can meet a line: the scan stops there.
  const limit = spans.length === 0 ? 0 : spanEnd(spans.length - 1);
  for (let i = 0, slash = text.indexOf('/', i); slash >= 0 && slash < limit; slash = text.indexOf('/', i)) {
    const after = text.charCodeAt(slash + 1);
    if (after !== SLASH && after !== STAR) {
      i = slash + 1;
      continue;
    }
    passUpTo(slash);
    const around = next < literals.length && literals[next].pos <= slash ? literals[next] : null;
    if (around !== null && slash >= around.getStart(sf)) {
      keepIfOnLine(around);
      next++;
      i = around.end;
      continue;
    }
    let end: number;
    if (after === SLASH) end = lineEnd(text, slash, true);
    else {
      const close = text.indexOf('*/', slash + 2);
      end = close < 0 ? text.length : close + 2;
    }
    ranges.push({ start: slash, end, kind: 'comment' });
    i = end;
  }
  for (; next < literals.length && literals[next].pos < limit; next++) keepIfOnLine(literals[next]);
  return tokensOnLines(
    text,
    ranges.sort((a, b) => a.start - b.start),
    spans,
    starts,
  );
}

const SLASH = 0x2f;
const STAR = 0x2a;

/** A literal's range and kind, from its start. */
function classify(sf: ts.SourceFile, node: ts.Node, start: number): Range {
  const SK = typescriptLib().SyntaxKind;
  switch (node.kind) {
    case SK.StringLiteral:
      return { start, end: node.end, kind: isModuleSpecifier(node) ? 'module' : isPropertyName(node) ? 'key' : 'string' };
    case SK.TemplateHead:
    case SK.TemplateMiddle:
    case SK.TemplateTail:
      return { start, end: node.end, kind: 'fragment' };
    default:
      return { start, end: node.end, kind: 'string' };
  }
}
