// Applies inline `jwtfrag-ignore` comments: a matching finding is kept but marked suppressed.
import type { FileFacts } from './extract/facts.js';
import { covers } from './model/query.js';
import type { Finding } from './vocabulary.js';

/** Marks findings covered by a suppression comment on their line or the line before. */
export function applyInlineSuppressions(findings: Finding[], facts: readonly Pick<FileFacts, 'path' | 'suppressions'>[]): Finding[] {
  const byFile = new Map(facts.map((f) => [f.path, f.suppressions]));
  for (const finding of findings) {
    const comments = byFile.get(finding.file);
    if (!comments || finding.suppression) continue;
    const hit = comments.find((c) => covers(c, finding));
    if (hit) finding.suppression = { kind: 'inline', reason: hit.reason };
  }
  return findings;
}
