// Applies inline `jwtfrag-ignore` comments: a matching finding is kept but marked suppressed.
import type { FileFacts } from './model/facts.js';
import type { Finding } from './result.js';

/** Marks findings covered by a suppression comment on their line or the line before. */
export function applyInlineSuppressions(findings: Finding[], facts: FileFacts[]): Finding[] {
  const byFile = new Map(facts.map((f) => [f.path, f.suppressions]));
  for (const finding of findings) {
    const comments = byFile.get(finding.file);
    if (!comments) continue;
    const hit = comments.find(
      (c) => c.ruleId === finding.ruleId && c.reason !== null && (c.line === finding.loc.line || c.line === finding.loc.line - 1),
    );
    if (hit) finding.suppression = { kind: 'inline', reason: hit.reason };
  }
  return findings;
}
