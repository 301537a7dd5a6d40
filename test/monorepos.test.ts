// The fixture monorepos: every rule's findings equal the annotations, and the inventory lists every read.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { checkFixture } from './helpers/fixture-check.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'monorepos');
const monorepos = readdirSync(ROOT)
  .filter((n) => statSync(join(ROOT, n)).isDirectory())
  .sort();

describe('fixture monorepos', () => {
  it('there are both halves of the user base', () => {
    expect(monorepos.length).toBeGreaterThanOrEqual(2);
  });
  for (const name of monorepos) {
    it(`${name}: findings equal annotations for every rule`, async () => {
      const outcome = await checkFixture(join(ROOT, name), new Set(RULES.map((r) => r.meta.id)));
      for (const todo of outcome.todos) console.info(`[${name}] ${todo}`);
      expect(outcome.annotations.some((a) => a.kind === 'expect')).toBe(true);
      expect(outcome.problems).toEqual([]);
    });
  }
});

describe('files with syntax errors never stop the scan', () => {
  it('each monorepo has a parse-error notification and still reports findings in other files', async () => {
    const { loadConfig } = await import('../src/config/load.js');
    const { scan } = await import('../src/run.js');
    const expected: Record<string, string> = {
      'fastapi-platform': 'netra_backend/app/legacy/report_export.py',
      'nest-microservices': 'apps/api/src/legacy/csv-export.ts',
    };
    for (const [name, broken] of Object.entries(expected)) {
      const dir = join(ROOT, name);
      const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
      expect(result.notifications.filter((n) => n.id === 'parse-error').map((n) => n.file)).toEqual([broken]);
      expect(result.findings.filter((f) => f.file !== broken && f.severity === 'error').length).toBeGreaterThan(0);
    }
  });
});
