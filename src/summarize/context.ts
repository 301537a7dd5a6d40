// Adds source context to findings after the rules ran: the masked snippet of the span's line and the line-hash fingerprint.
import { join } from 'node:path';
import type { FileFacts } from '../extract/facts.js';
import type { Finding } from '../vocabulary.js';
import { buildSnippets } from '../extract/snippet.js';
import { lineHashes } from '../util/fingerprint.js';
import { readSource } from '../discover/read.js';

/** Reads each file that has findings once; sets `snippet`, `snippetSpan` and `fingerprints` on its findings. */
export function attachSourceContext(root: string, findings: Finding[], facts: FileFacts[], maxBytes: number): void {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const factsByPath = new Map(facts.map((f) => [f.path, f]));
  for (const [file, list] of byFile) {
    const read = readSource(join(root, file), maxBytes);
    if (!read.ok) continue;
    const fileFacts = factsByPath.get(file);
    const snippets = buildSnippets(
      file,
      read.text,
      fileFacts?.language ?? null,
      list.map((f) => f.loc),
      fileFacts?.secretLiterals ?? [],
    );
    const hashes = lineHashes(read.text, new Set(list.map((f) => f.loc.line)));
    list.forEach((finding, i) => {
      const snippet = snippets[i];
      if (!snippet) return;
      finding.snippet = snippet.text;
      finding.snippetSpan = { column: snippet.column, endColumn: snippet.endColumn };
      const hash = hashes[finding.loc.line - 1];
      if (hash) finding.fingerprints = { primaryLocationLineHash: hash };
    });
  }
}
