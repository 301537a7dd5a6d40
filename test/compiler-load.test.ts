// The TypeScript compiler is read in chunks and put in require's cache before it is required, and nothing else of ts-morph is loaded (src/extract/typescript-lib.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/**
 * Runs a script in a process of its own (where nothing has loaded the compiler yet) that records every
 * file Node's loader reads through `fs.readFileSync`, loads the compiler (through the TypeScript front
 * end, or as a plain `require` of ts-morph would) and prints what it read, which of ts-morph's files
 * were loaded, and what it got.
 */
function load(frontEnd: boolean): { read: string[]; morph: string[]; same: boolean; statements: number; cached: boolean } {
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
      `const require = createRequire(${JSON.stringify(join(root, 'package.json'))});`,
      // The front end as a scan loads it; or Node's loader alone, as any require of ts-morph would load the compiler.
      frontEnd ? `await (await import(${JSON.stringify(join(root, 'src/extract/index.ts'))})).loadFrontEnd('ts');` : ``,
      frontEnd
        ? `const ts = (await import(${JSON.stringify(join(root, 'src/extract/typescript-lib.ts'))})).typescriptLib();`
        : `const ts = (require('ts-morph') as typeof import('ts-morph')).ts;`,
      `const name = (p: string) => p.split(/[\\/]/).pop() ?? '';`,
      `const before = read.map(name);`,
      `const loaded = Object.keys(require.cache).filter((p) => require.cache[p]?.loaded === true).map(name);`,
      `const morph = (await import(pathToFileURL(require.resolve('ts-morph')).href)) as typeof import('ts-morph');`,
      `const statements = ts.createSourceFile('a.ts', 'const a = 1; export { a };', ts.ScriptTarget.Latest).statements.length;`,
      `console.log(JSON.stringify({ read: before, morph: loaded.filter((n) => n.startsWith('ts-morph')).sort(), same: morph.ts.createSourceFile === ts.createSourceFile && morph.ts.SyntaxKind === ts.SyntaxKind, statements, cached: loaded.includes('typescript.js') }));`,
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as { read: string[]; morph: string[]; same: boolean; statements: number; cached: boolean };
}

describe('loading the TypeScript compiler', () => {
  const large = ['typescript.js', 'ts-morph-common.js', 'ts-morph.js'];

  it('a plain require of ts-morph reads the compiler whole (the probe sees it) and loads ts-morph', () => {
    const loaded = load(false);
    expect(loaded.read.filter((name) => large.includes(name)).sort()).toEqual(['ts-morph-common.js', 'ts-morph.js', 'typescript.js']);
    expect(loaded.morph).toEqual(['ts-morph-common.js', 'ts-morph.js']);
    expect(loaded.same).toBe(true);
  });

  it('the front end loads the compiler ts-morph bundles, never reads it whole, and loads nothing else of ts-morph', () => {
    const loaded = load(true);
    expect(loaded.cached).toBe(true);
    expect(loaded.morph).toEqual([]);
    expect(loaded.same).toBe(true);
    expect(loaded.statements).toBe(2);
    expect(loaded.read.filter((name) => large.includes(name))).toEqual([]);
  });
});
