// The TypeScript compiler's large files are read in chunks and put in require's cache before anything requires them (src/extract/typescript-lib.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/**
 * Runs a script in a process of its own (where nothing has loaded the compiler yet) that records every
 * file Node's loader reads through `fs.readFileSync`, loads the compiler with or without the preload,
 * and prints what it read and what it got.
 */
function load(preload: boolean): { read: string[]; same: boolean; statements: number; cached: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-compiler-'));
  const script = join(dir, 'load.mts');
  writeFileSync(
    script,
    [
      `import fs from 'node:fs';`,
      `import { createRequire } from 'node:module';`,
      `import { pathToFileURL } from 'node:url';`,
      `const read: string[] = [];`,
      `const original = fs.readFileSync;`,
      `fs.readFileSync = function (this: unknown, path: fs.PathOrFileDescriptor, ...rest: unknown[]) { read.push(String(path)); return (original as (...a: unknown[]) => unknown).call(this, path, ...rest); } as typeof fs.readFileSync;`,
      `const lib = await import(${JSON.stringify(join(root, 'src/extract/typescript-lib.ts'))});`,
      `const require = createRequire(${JSON.stringify(join(root, 'package.json'))});`,
      // Plain: Node's loader alone, as any require of ts-morph would load it.
      preload ? `lib.preloadCompiler();` : ``,
      preload ? `const ts = lib.typescriptLib();` : `const ts = (require('ts-morph') as typeof import('ts-morph')).ts;`,
      `const morph = (await import(pathToFileURL(require.resolve('ts-morph')).href)) as typeof import('ts-morph');`,
      `const cached = Object.keys(require.cache).some((p) => p.endsWith('typescript.js') && require.cache[p]?.loaded === true);`,
      `const statements = ts.createSourceFile('a.ts', 'const a = 1; export { a };', ts.ScriptTarget.Latest).statements.length;`,
      `console.log(JSON.stringify({ read: read.map((p) => p.split(/[\\\\/]/).pop()), same: morph.ts === ts, statements, cached }));`,
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { read: string[]; same: boolean; statements: number; cached: boolean };
}

describe('loading the TypeScript compiler', () => {
  const large = ['typescript.js', 'ts-morph-common.js'];

  it('without the preload, Node reads the compiler whole (the probe sees it)', () => {
    const loaded = load(false);
    expect(loaded.read.filter((name) => large.includes(name)).sort()).toEqual(['ts-morph-common.js', 'typescript.js']);
    expect(loaded.same).toBe(true);
  });

  it('with it, the compiler is the one ts-morph exports and its large files are never read whole', () => {
    const loaded = load(true);
    expect(loaded.cached).toBe(true);
    expect(loaded.same).toBe(true);
    expect(loaded.statements).toBe(2);
    expect(loaded.read.filter((name) => large.includes(name))).toEqual([]);
  });
});
