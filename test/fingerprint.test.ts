// Tests GitHub's primaryLocationLineHash implementation and the semantic finding fingerprint.
import { describe, expect, it } from 'vitest';
import { findingFingerprint, lineHashes, primaryLocationLineHash } from '../src/util/fingerprint.js';

describe('lineHashes', () => {
  it('reproduces codeql-action test vector for the empty file', () => {
    expect(lineHashes('')).toEqual(['c129715d7a2bc9a3:1']);
  });

  it('reproduces codeql-action test vector with spaces and tabs', () => {
    expect(lineHashes(' a\nb\n  \t\tc\n d')).toEqual(['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']);
  });

  it('treats CRLF, lone CR and LF alike and ignores blanks', () => {
    const lf = lineHashes('a\nb\nc');
    expect(lf).toHaveLength(3);
    expect(lineHashes('a\r\nb\r\nc')).toEqual(lf);
    expect(lineHashes('a\rb\rc')).toEqual(lf);
    expect(lineHashes('  a\n\tb \n c  ')).toEqual(lf);
  });

  it('gives a trailing newline its own end-of-file line', () => {
    expect(lineHashes('a\nb\n')).toHaveLength(3);
    expect(lineHashes('a\nb')).toHaveLength(2);
    expect(lineHashes('a\nb\n')[0]).not.toBe(lineHashes('a\nb')[0]);
  });

  it('counts repeated hashes per value, 1-based', () => {
    const hashes = lineHashes('a\n'.repeat(200));
    expect(hashes).toHaveLength(201);
    const first = hashes[0].split(':')[0];
    expect(hashes[0]).toBe(`${first}:1`);
    expect(hashes[1]).toBe(`${first}:2`);
    expect(hashes[49]).toBe(`${first}:50`);
    // Line 151 is the last whose 100-unit window lies wholly inside the text.
    expect(hashes[150]).toBe(`${first}:151`);
    expect(hashes[151].split(':')[0]).not.toBe(first);
    for (const value of hashes) expect(value).toMatch(/^[0-9a-f]{1,16}:\d+$/);
  });

  it('does not change when lines are inserted above', () => {
    const body = 'const key = process.env.JWT_SECRET;\njwt.sign(payload, key);\n';
    const before = lineHashes(body);
    const after = lineHashes(`import x from "y";\n\n${body}`);
    expect(after[2]).toBe(before[0]);
    expect(after[3]).toBe(before[1]);
  });

  it('gives only the lines asked for the same text as the whole computation', () => {
    const text = ['x = 1', 'y = 2', 'x = 1', '', '\tx = 1', 'z', 'x = 1 ', 'a\r\nb\rc', ...Array.from({ length: 150 }, () => 'x = 1')].join('\n');
    const all = lineHashes(text);
    const lines = new Set([1, 3, 5, 7, 9, 100, all.length]);
    const some = lineHashes(text, lines);
    expect(some).toHaveLength(all.length);
    all.forEach((value, i) => expect([i + 1, some[i]]).toEqual([i + 1, lines.has(i + 1) ? value : undefined]));
    // Occurrences are counted over the lines not asked for too: line 100 repeats the lines of the run before it.
    expect(Number(some[99].split(':')[1])).toBeGreaterThan(50);
    // From the first line on: a run of equal lines counts each occurrence, the first included.
    const run = Array.from({ length: 200 }, () => 'k = 1').join('\n');
    const every = lineHashes(run);
    const asked = new Set([1, 2, 120, 199, 200, 201, 0]);
    const few = lineHashes(run, asked);
    expect(few).toHaveLength(every.length);
    expect([1, 2, 120, 199, 200].map((line) => few[line - 1])).toEqual([1, 2, 120, 199, 200].map((line) => every[line - 1]));
    expect([few[0].split(':')[1], few[119].split(':')[1]]).toEqual(['1', '120']);
  });

  it('hashes UTF-16 code units (astral characters are two units)', () => {
    expect(lineHashes('😀')).not.toEqual(lineHashes('\ud83d'));
    expect(lineHashes('😀')).toHaveLength(1);
  });
});

describe('primaryLocationLineHash', () => {
  const text = ' a\nb\n  \t\tc\n d';
  it('agrees with a straightforward BigInt rolling hash on generated texts', () => {
    // The reference: the same algorithm with 64-bit BigInt arithmetic, hashes only (occurrence counts are shared code).
    const reference = (text: string): string[] => {
      const first = (() => {
        let v = 1n;
        for (let i = 0; i < 100; i++) v = BigInt.asUintN(64, v * 37n);
        return v;
      })();
      const window = new Array<number>(100).fill(0);
      const lineAt = new Array<number>(100).fill(-1);
      const out: string[] = [];
      let hash = 0n;
      let index = 0;
      let line = 0;
      let start = true;
      let prevCR = false;
      const emit = (): void => {
        out[lineAt[index] - 1] = hash.toString(16);
        lineAt[index] = -1;
      };
      const update = (unit: number): void => {
        const leaving = window[index];
        window[index] = unit;
        hash = BigInt.asUintN(64, 37n * hash + BigInt(unit) - first * BigInt(leaving));
        index = (index + 1) % 100;
      };
      const step = (code: number): void => {
        let unit = code;
        if (unit === 0x20 || unit === 0x09 || (prevCR && unit === 0x0a)) {
          prevCR = false;
          return;
        }
        prevCR = unit === 0x0d;
        if (unit === 0x0d) unit = 0x0a;
        if (lineAt[index] !== -1) emit();
        if (start) {
          start = false;
          lineAt[index] = ++line;
        }
        if (unit === 0x0a) start = true;
        update(unit);
      };
      for (let i = 0; i < text.length; i++) step(text.charCodeAt(i));
      step(65535);
      for (let i = 0; i < 100; i++) {
        if (lineAt[index] !== -1) emit();
        update(0);
      }
      return out;
    };
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['a', 'Z', '0', ' ', '\t', '\n', '\r\n', '\r', 'é', '\uffff', '😀', '{', '"'];
    for (let round = 0; round < 40; round++) {
      let text = '';
      const length = next(3000);
      for (let i = 0; i < length; i++) text += alphabet[next(alphabet.length)];
      expect(lineHashes(text).map((h) => h.split(':')[0])).toEqual(reference(text));
    }
  });

  it('returns the hash of the given 1-based line', () => {
    expect(primaryLocationLineHash(text, 1)).toBe('271789c17abda88f:1');
    expect(primaryLocationLineHash(text, 4)).toBe('a23a3dc5e078b07b:1');
    expect(primaryLocationLineHash('', 1)).toBe('c129715d7a2bc9a3:1');
    expect(primaryLocationLineHash(text, 2)).toBe('54703d4cd895b18:1');
  });
  it('rejects lines outside the text', () => {
    expect(() => primaryLocationLineHash(text, 0)).toThrow(RangeError);
    expect(() => primaryLocationLineHash(text, 5)).toThrow('line 5 is outside the text (1..4)');
  });
});

describe('findingFingerprint', () => {
  it('is the sha256 of rule id and key, stable and distinct', () => {
    const a = findingFingerprint('secret-name-sprawl', 'api|JWT_KEY');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(findingFingerprint('secret-name-sprawl', 'api|JWT_KEY')).toBe(a);
    expect(findingFingerprint('ws-no-auth', 'api|JWT_KEY')).not.toBe(a);
    expect(findingFingerprint('secret-name-sprawl', 'api|JWT_SECRET')).not.toBe(a);
  });
});
