// Every rule's annotated fixtures: the findings must equal the annotations exactly (STYLE §3).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { checkFixture } from './helpers/fixture-check.js';

const ROOT = join(import.meta.dirname, '..', 'fixtures', 'rules');

function cases(ruleId: string): string[] {
  const dir = join(ROOT, ruleId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

for (const rule of RULES) {
  const id = rule.meta.id;
  describe(id, () => {
    for (const name of cases(id)) {
      it(name, async () => {
        const outcome = await checkFixture(join(ROOT, id, name), new Set([id]));
        for (const todo of outcome.todos) console.info(`[${id}/${name}] ${todo}`);
        const own = outcome.annotations.filter((a) => a.ruleId === id);
        if (name.startsWith('bad-')) {
          expect(
            own.some((a) => a.kind === 'expect'),
            'a bad-* case needs an expect: annotation',
          ).toBe(true);
        } else {
          expect(name.startsWith('ok-'), 'case folders are named bad-* or ok-*').toBe(true);
          expect(
            own.some((a) => a.kind === 'expect-not'),
            'an ok-* case needs an expect-not: on the look-alike',
          ).toBe(true);
          expect(
            own.filter((a) => a.kind === 'expect'),
            'an ok-* case produces nothing for its rule',
          ).toEqual([]);
        }
        expect(outcome.problems).toEqual([]);
      });
    }
  });
}
