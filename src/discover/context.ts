// Adds source context to findings after the rules ran: the redacted source line and the line-hash fingerprint.
import { join } from 'node:path';
import type { FileFacts, Loc } from '../model/facts.js';
import type { Finding } from '../result.js';
import { lineHashes } from '../util/fingerprint.js';
import { redactLine } from '../util/redact.js';
import { readSource } from './read.js';

/** Reads each file that has findings once; sets `snippet` and `fingerprints` on its findings. */
export function attachSourceContext(root: string, findings: Finding[], facts: FileFacts[], maxBytes: number): void {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const secretSpans = new Map(facts.map((f) => [f.path, f.secretLiterals]));
  for (const [file, list] of byFile) {
    const read = readSource(join(root, file), maxBytes);
    if (!read.ok) continue;
    const lines = read.text.split(/\r\n|\r|\n/);
    const hashes = lineHashes(read.text);
    const spans = secretSpans.get(file) ?? [];
    for (const finding of list) {
      const index = finding.loc.line - 1;
      if (index < 0 || index >= lines.length) continue;
      const onLine: Loc[] = spans.filter((s) => s.line <= finding.loc.line && s.endLine >= finding.loc.line);
      finding.snippet = redactLine(lines[index], finding.loc.line, onLine);
      const hash = hashes[index];
      if (hash) finding.fingerprints = { primaryLocationLineHash: hash };
    }
  }
}
