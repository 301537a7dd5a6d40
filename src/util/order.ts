// Locale-independent ordering (UTF-16 code units), so output is byte-identical on every machine.
import type { Finding } from '../vocabulary.js';

/** Compares two strings by code units (never by locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Output order of findings: file, line, column, rule, message, then the rest of the span and the key. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.loc.line - b.loc.line ||
    a.loc.column - b.loc.column ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.message, b.message) ||
    a.loc.endLine - b.loc.endLine ||
    a.loc.endColumn - b.loc.endColumn ||
    compareText(a.key, b.key)
  );
}

/** Reading order of two positions: line, then column. */
export function comparePositions(a: { line: number; column: number }, b: { line: number; column: number }): number {
  return a.line - b.line || a.column - b.column;
}

/** Reverses `items[from…]` in place: what a walk pushed for one node, so that it pops in source order. */
export function reverseFrom(items: unknown[], from: number): void {
  for (let i = from, j = items.length - 1; i < j; i++, j--) {
    const item = items[i];
    items[i] = items[j];
    items[j] = item;
  }
}
