// The fixture monorepos: every rule's findings equal the annotations, and the inventory lists every read.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { checkFixture } from './helpers/fixture-check.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'monorepos');
const monorepos = readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory()).sort();

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
