// A clone tests green anywhere: what the tests read lives in the repository, and the vendored SARIF schema is the official one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from './helpers/annotations.js';
import { SARIF_SCHEMA_PATH } from './helpers/sarif-checker.js';

const ROOT = join(import.meta.dirname, '..');

describe('repository self-containment', () => {
  it('the vendored SARIF schema is the official OASIS 2.1.0 Errata 01 file', () => {
    const sha = createHash('sha256').update(readFileSync(SARIF_SCHEMA_PATH)).digest('hex');
    expect(sha).toBe('c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e');
    expect(readFileSync(join(ROOT, 'test', 'sarif', 'README.md'), 'utf8')).toContain(sha);
  });

  it('no source, script or test reads a folder beside the repository', () => {
    const outside = /(['"])\.\.\1\s*,\s*(['"])shared\2|\.\.\/shared\//;
    const bad: string[] = [];
    for (const dir of ['src', 'scripts', 'test', 'rules']) {
      for (const file of listFiles(join(ROOT, dir))) {
        if (!/\.(ts|js|mjs|json)$/.test(file) || file.startsWith('sarif/')) continue;
        const text = readFileSync(join(ROOT, dir, file), 'utf8');
        if (outside.test(text) && !file.endsWith('repository.test.ts')) bad.push(`${dir}/${file}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
