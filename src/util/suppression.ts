// Parses the text of a `jwtfrag-ignore <rule-id>: <reason>` comment (shared by every extractor).

export interface ParsedSuppression {
  ruleId: string;
  reason: string | null;
}

const IGNORE = /jwtfrag-ignore(?:\s+([A-Za-z0-9_-]*))?\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/;

/**
 * Reads a comment's text (with or without its `//`, `#` or `/*` marker). Returns null when it is
 * not a jwtfrag-ignore comment; an empty rule id or reason is kept so it can be reported as invalid.
 */
export function parseSuppressionComment(comment: string): ParsedSuppression | null {
  const at = comment.indexOf('jwtfrag-ignore');
  if (at < 0) return null;
  const match = IGNORE.exec(comment.slice(at));
  if (!match) return null;
  const reason = match[2]?.trim() ?? '';
  return { ruleId: match[1] ?? '', reason: reason.length > 0 ? reason : null };
}
