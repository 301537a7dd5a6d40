// The JSON report written in parts: joined, the parts are the report's text exactly, and the writer puts them on disk as they come.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunked, writeOutput } from '../src/cli/scan.js';
import { UsageError } from '../src/cli/usage.js';
import { loadConfig } from '../src/config/load.js';
import { renderParts } from '../src/report/index.js';
import { prettyJson, renderJson, renderJsonParts } from '../src/report/json.js';
import { scan } from '../src/run.js';

const MONOREPOS = join(import.meta.dirname, '..', 'fixtures', 'monorepos');

class Box {
  constructor(readonly inside: number) {}
}

/** Values whose pretty JSON has every case the parts must get right. */
const TRICKY: unknown[] = [
  null,
  0,
  -1.5e300,
  'a "quoted"\nline\twith → and 🔑',
  [],
  {},
  [[], {}, [[]], [{}]],
  { empty: [], nested: { deeper: { list: [1, [2, [3]]], text: 'x\ny' } } },
  [undefined, () => 1, Symbol('s'), 1, null],
  { gone: undefined, fn: () => 1, sym: Symbol('s'), kept: 1 },
  { onlyGone: undefined },
  { when: new Date(0), map: new Map([[1, 2]]), box: new Box(3), custom: { toJSON: () => ({ as: 'json' }) } },
  Object.assign(Object.create(null) as object, { bare: [1, { two: 2 }] }),
  { 2: 'two', 1: 'one', b: 'b', a: 'a', 'quote"key': true },
  { deep: [[[[[[[{ leaf: ['→'] }]]]]]]] },
];

describe('prettyJson', () => {
  it('joined, is JSON.stringify(value, null, 2) at every depth, with its end after it', () => {
    for (const value of TRICKY) {
      for (let depth = 0; depth <= 8; depth++) {
        const expected = JSON.stringify(value, null, 2);
        expect([...prettyJson(value, depth, '', '\n')].join(''), `${expected} at depth ${depth}`).toBe(`${expected}\n`);
      }
    }
  });

  it('indents a value written as a member of something else', () => {
    const value = { list: [1, { two: [2] }], text: 'a\nb' };
    for (let depth = 0; depth <= 3; depth++) {
      expect(`{\n  "v": ${[...prettyJson(value, depth, '  ')].join('')}\n}`).toBe(JSON.stringify({ v: value }, null, 2));
    }
  });
});

describe('the JSON report in parts', () => {
  it('is renderJson text exactly on every fixture monorepo, in parts much smaller than the whole', async () => {
    const names = readdirSync(MONOREPOS, { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const { name } of names) {
      const dir = join(MONOREPOS, name);
      const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
      const text = renderJson(result);
      const parts = [...renderJsonParts(result)];
      expect(parts.join('')).toBe(text);
      expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(text.length / 4);
      // The other formats are one part: their text.
      expect([...renderParts('json', result, { rules: [], color: false })].join('')).toBe(text);
      expect([...renderParts('github', result, { rules: [], color: false })]).toHaveLength(1);
    }
  });
});

describe('writeOutput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-write-'));

  it('writes a text in parts as it comes, in chunks, characters of several bytes across chunk ends included', () => {
    // 2.2 million characters in parts of 6 ('🔑' is two): three chunks, each ending where a part ends, never inside a character.
    const parts = Array.from({ length: 370_000 }, (_, i) => `${i % 10}é→🔑\n`);
    const chunks = [...chunked(parts)];
    expect(chunks.length).toBe(3);
    expect(chunks.join('')).toBe(parts.join(''));
    const path = join(dir, 'sub', 'big.json');
    writeOutput(path, parts);
    expect(readFileSync(path, 'utf8')).toBe(parts.join(''));
    // A shorter text replaces a longer one whole.
    writeOutput(path, 'short\n');
    expect(readFileSync(path, 'utf8')).toBe('short\n');
  });

  it('fails with a usage error naming the path and the reason', () => {
    expect(() => writeOutput(dir, ['x'])).toThrow(new UsageError(`cannot write ${dir} (EISDIR)`));
    expect(() => writeOutput('/dev/full', ['x'.repeat(100)])).toThrow(new UsageError('cannot write /dev/full (ENOSPC)'));
  });
});
