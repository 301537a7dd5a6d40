// Adds source context to findings after the rules ran: the masked snippet of the span's line and the line-hash fingerprint.
import { join } from 'node:path';
import type { FileFacts } from '../extract/facts.js';
import type { Finding } from '../vocabulary.js';
import { buildSnippets } from '../extract/snippet.js';
import { lineHashes } from '../util/fingerprint.js';
import { readSource } from '../discover/read.js';
import { FactCache, readEntry, writeEntry, type CacheSettings } from '../cache/index.js';
import type { RangeStore } from '../extract/snippet.js';

/**
 * Reads each file that has findings once; sets `snippet`, `snippetSpan` and `fingerprints` on its
 * findings. A TypeScript file's token ranges come from its facts when they cover the findings' lines;
 * otherwise, with a cache, they are kept there (a warm scan then neither loads the compiler nor parses).
 */
export function attachSourceContext(
  root: string,
  findings: Finding[],
  facts: readonly Pick<FileFacts, 'path' | 'language' | 'secretLiterals' | 'snippetTokens'>[],
  maxBytes: number,
  cache?: CacheSettings,
): void {
  const rangeCache = cache ? new FactCache(cache, { snippetRanges: 1 }) : null;
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
    const language = fileFacts?.language ?? null;
    const store = rangeCache && language ? rangeStore(rangeCache, file, language, read.text) : undefined;
    const snippets = buildSnippets(
      file,
      read.text,
      language,
      list.map((f) => f.loc),
      fileFacts?.secretLiterals ?? [],
      store,
      fileFacts?.snippetTokens,
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

/** A file's token ranges in the cache. Its key hashes the whole text, so it is computed only when a snippet asks (TypeScript and JavaScript). */
function rangeStore(cache: FactCache, file: string, language: string, text: string): RangeStore {
  let key: string | null = null;
  const keyOf = (): string => (key ??= cache.key(file, language, text));
  return { load: () => readEntry(cache.dir, keyOf()), save: (payload) => void writeEntry(cache.dir, keyOf(), payload) };
}
