// Redaction of secret literals in source lines: known secret spans plus a safety net for quoted values.
import type { Loc } from '../model/facts.js';

/** The placeholder that stands for a literal of `length` characters. */
export function redacted(length: number): string {
  return `«redacted, ${length} chars»`;
}

const QUOTED = /(?<![A-Za-z0-9_])([rbfuRBFU]{0,2})(["'`])((?:\\.|(?!\2).)*)\2/g;

/** Whether a quoted value is harmless to show: env-style names, paths, URLs, short words, algorithm ids. */
function harmless(content: string): boolean {
  if (content.length < 6) return true;
  if (/^[A-Z][A-Z0-9_]*$/.test(content)) return true;
  if (/^[A-Za-z_][\w.-]*\*?$/.test(content) && /[_.]/.test(content) && !/\d{3,}/.test(content) && content === content.toLowerCase()) return true;
  if (/^(\.{0,2}\/|@|https?:|wss?:|\/)/.test(content)) return true;
  if (/\{[^}]*\}|\$\{|%s/.test(content)) return true;
  if (/^(HS|RS|ES|PS)\d{3}$/.test(content)) return true;
  if (/\s/.test(content) && !/[A-Za-z0-9+/=]{16,}/.test(content)) return true;
  return false;
}

/**
 * Redacts a source line: every known secret span on it, then any remaining quoted value that is not
 * clearly harmless. The result never contains a secret literal's text.
 */
export function redactLine(text: string, line: number, secretSpans: Loc[]): string {
  let out = text;
  const cuts = secretSpans
    .map((s) => ({
      start: s.line === line ? s.column - 1 : 0,
      end: s.endLine === line ? s.endColumn - 1 : text.length,
    }))
    .filter((c) => c.end > c.start)
    .sort((a, b) => b.start - a.start);
  for (const cut of cuts) {
    const piece = out.slice(cut.start, cut.end);
    const quoted = /^[rbfuRBFU]{0,2}(["'`]).*\1$/s.test(piece);
    const inner = quoted ? piece.replace(/^[rbfuRBFU]{0,2}["'`]/, '').slice(0, -1).length : piece.length;
    out = out.slice(0, cut.start) + redacted(inner) + out.slice(cut.end);
  }
  return out.replace(QUOTED, (whole, _prefix: string, _quote: string, content: string) =>
    harmless(content) ? whole : redacted(content.length),
  );
}
