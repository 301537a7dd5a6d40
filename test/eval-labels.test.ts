// The real-world corpus files are valid: corpus.json and every label file parse, and each label file names a corpus repository.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus, loadLabels } from '../scripts/eval/corpus.js';

const root = join(import.meta.dirname, '..');
const corpus = loadCorpus(join(root, 'eval', 'corpus.json'));
const labelFiles = readdirSync(join(root, 'eval', 'labels')).filter((f) => f.endsWith('.json'));

describe('eval corpus', () => {
  it('pins each repository at a full commit and has every required kind', () => {
    const kinds = corpus.repositories.map((r) => r.kind);
    expect(corpus.repositories.length).toBeGreaterThanOrEqual(12);
    for (const kind of ['reference', 'node', 'python', 'mixed', 'control'] as const) expect(kinds).toContain(kind);
  });

  it.each(labelFiles)('%s parses and belongs to the corpus', (file) => {
    const name = file.replace(/\.json$/, '');
    expect(corpus.repositories.map((r) => r.name)).toContain(name);
    const labels = loadLabels(join(root, 'eval', 'labels'), name);
    expect(labels?.name).toBe(name);
  });
});
