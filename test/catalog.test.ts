// Ties every rule together: file name = meta.id, registry complete, doc with fixed headings, TS and Python fixtures.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { listFiles } from './helpers/annotations.js';

const ROOT = join(import.meta.dirname, '..');
const RULE_FILES = readdirSync(join(ROOT, 'rules'))
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3))
  .sort();
const HEADINGS = ['## What it finds', '## Why it breaks', '## How to fix', '## Examples', '## Options', '## References'];

describe('rule catalog', () => {
  it('the registry lists exactly the rule files (fix rules/index.ts)', () => {
    expect(RULES.map((r) => r.meta.id).sort()).toEqual(RULE_FILES);
  });
  for (const id of RULE_FILES) {
    describe(id, () => {
      it(`rules/${id}.ts exports a rule whose meta.id is '${id}'`, async () => {
        const mod = (await import(`../rules/${id}.ts`)) as { default: { meta: { id: string; messages: Record<string, string> } } };
        expect(mod.default.meta.id).toBe(id);
        expect(id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
        expect(Object.keys(mod.default.meta.messages).length).toBeGreaterThan(0);
      });
      it(`rules/${id}.md has the fixed headings`, () => {
        const path = join(ROOT, 'rules', `${id}.md`);
        expect(existsSync(path), `missing doc rules/${id}.md`).toBe(true);
        const doc = readFileSync(path, 'utf8');
        expect(doc.startsWith(`# ${id}\n`), `rules/${id}.md must start with '# ${id}'`).toBe(true);
        let at = -1;
        for (const heading of HEADINGS) {
          const next = doc.indexOf(`\n${heading}\n`);
          expect(next, `rules/${id}.md: '${heading}' missing or out of order`).toBeGreaterThan(at);
          at = next;
        }
      });
      it(`fixtures/rules/${id}/ has bad and ok cases in TypeScript and Python`, () => {
        const dir = join(ROOT, 'fixtures', 'rules', id);
        expect(existsSync(dir), `missing fixtures/rules/${id}/`).toBe(true);
        const cases = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
        const langs = (prefix: string) => {
          const files = cases.filter((c) => c.startsWith(prefix)).flatMap((c) => listFiles(join(dir, c)));
          return { py: files.some((f) => f.endsWith('.py')), ts: files.some((f) => /\.[cm]?[jt]sx?$/.test(f)) };
        };
        expect(langs('bad-'), `fixtures/rules/${id}: bad-* cases in both languages`).toEqual({ py: true, ts: true });
        expect(langs('ok-'), `fixtures/rules/${id}: ok-* cases in both languages`).toEqual({ py: true, ts: true });
      });
    });
  }
});
