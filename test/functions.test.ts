// Function facts on demand: a scan's extraction leaves them out; the provider computes them per file, the same as extraction asked for them, once per scan, through the cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load.js';
import { extractFile } from '../src/extract/index.js';
import { gatherFunctionFacts, type FunctionSource } from '../src/extract/functions.js';
import { scan } from '../src/run.js';
import { listFiles } from './helpers/annotations.js';
import { tempRepo } from './helpers/cli.js';
import { fixtureFiles } from './helpers/fixture-files.js';

const OPTIONS = { envAccessors: { python: [] as string[], typescript: [] as string[] } };
const temp = (prefix: string): string => tempRepo({}, `jwtfrag-${prefix}-`);

/** The text of every entry file under a cache folder. */
function cacheEntries(dir: string): string[] {
  return listFiles(dir).map((path) => readFileSync(join(dir, path), 'utf8'));
}

function entryCount(dir: string): number {
  return cacheEntries(dir).length;
}

const PY_HELPER = [
  'import jwt',
  'from app.settings import SECRET',
  '',
  'def check_socket(ws):',
  '    token = ws.query_params.get("token")',
  '    return jwt.decode(token, SECRET, algorithms=["HS256"])',
  '',
].join('\n');
const PY_AUTH = PY_HELPER.replace('from app.settings import SECRET', 'import os\nSECRET = os.environ["JWT_SECRET"]');
const PY_ENDPOINT = [
  'from fastapi import FastAPI, WebSocket',
  'from auth import check_socket',
  '',
  'app = FastAPI()',
  '',
  '@app.websocket("/ws")',
  'async def ws(websocket: WebSocket):',
  '    check_socket(websocket)',
  '    await websocket.accept()',
  '',
].join('\n');
const TS_HELPER = [
  "import jwt from 'jsonwebtoken';",
  "import { loadUser } from './users';",
  'export function authenticate(token: string) {',
  '  const claims = jwt.verify(token, process.env.JWT_SECRET as string);',
  '  return loadUser(claims);',
  '}',
  'export const noop = () => 1;',
  '',
].join('\n');

describe('function facts on demand', () => {
  it('are left out of a scan extraction and equal to extraction that asks for them', async () => {
    const root = temp('fn');
    writeFileSync(join(root, 'auth.py'), PY_HELPER);
    writeFileSync(join(root, 'auth.ts'), TS_HELPER);
    const files = new Map<string, FunctionSource>([
      ['auth.py', { absPath: join(root, 'auth.py'), language: 'python' }],
      ['auth.ts', { absPath: join(root, 'auth.ts'), language: 'ts' }],
    ]);
    const plainPy = await extractFile('auth.py', PY_HELPER, 'python', OPTIONS);
    const plainTs = await extractFile('auth.ts', TS_HELPER, 'ts', OPTIONS);
    expect(plainPy.functions).toBeUndefined();
    expect(plainTs.functions).toBeUndefined();
    const fullPy = await extractFile('auth.py', PY_HELPER, 'python', { ...OPTIONS, functionFacts: true });
    const fullTs = await extractFile('auth.ts', TS_HELPER, 'ts', { ...OPTIONS, functionFacts: true });
    expect(fullPy.functions?.map((f) => f.name)).toEqual(['check_socket']);
    expect(fullTs.functions?.map((f) => [f.name, f.calls.map((c) => `${c.name}@${c.module ?? ''}`)])).toEqual([
      ['authenticate', ['verify@jsonwebtoken', 'loadUser@./users']],
    ]);
    // Apart from the function facts, asking for them changes nothing.
    expect({ ...fullPy, functions: undefined }).toEqual({ ...plainPy, functions: undefined });
    expect({ ...fullTs, functions: undefined }).toEqual({ ...plainTs, functions: undefined });

    // Round by round: `auth.py` is wanted first, `auth.ts` once `auth.py` is known, then nothing.
    const rounds: string[][] = [];
    const functionsOf = await gatherFunctionFacts({ files, extract: OPTIONS, maxBytes: 1 << 20, maxLineLength: 0, cache: null }, (known) => {
      const state = ['auth.py', 'auth.ts', 'not-analysed.py'].map((p) => (known(p) === undefined ? '?' : 'known'));
      rounds.push(state);
      return state[0] === '?' ? ['auth.py'] : ['auth.ts', 'not-analysed.py'];
    });
    expect(rounds).toEqual([
      ['?', '?', '?'],
      ['known', '?', '?'],
      ['known', 'known', 'known'],
    ]);
    expect(functionsOf('auth.py')).toEqual(fullPy.functions);
    expect(functionsOf('auth.ts')).toEqual(fullTs.functions);
    expect(functionsOf('not-analysed.py')).toBeNull();
    // The same from worker lanes (what larger rounds use).
    const all = ['auth.py', 'auth.ts'];
    const viaLanes = await gatherFunctionFacts({ files, extract: OPTIONS, maxBytes: 1 << 20, maxLineLength: 0, cache: null, lanes: true }, (known) =>
      all.filter((p) => known(p) === undefined),
    );
    expect(all.map(viaLanes)).toEqual([fullPy.functions, fullTs.functions]);
  });

  it('in a round, come from a Python extraction that stops at them: the same function facts as a full one, over every Python fixture', async () => {
    const round = { ...OPTIONS, functionFacts: true, functionsOnly: true };
    let withFunctions = 0;
    let leftOut = 0;
    for (const [path, text] of fixtureFiles(/\.py$/)) {
      const full = await extractFile(path, text, 'python', { ...OPTIONS, functionFacts: true });
      const only = await extractFile(path, text, 'python', round);
      expect(only.functions, path).toEqual(full.functions);
      if (full.functions) withFunctions++;
      // What the function facts do not need is left out.
      if (full.envReads.length + full.jwtOps.length + full.wsEndpoints.length > 0) {
        expect([only.envReads, only.jwtOps, only.wsEndpoints], path).toEqual([[], [], []]);
        leftOut++;
      }
    }
    expect(withFunctions).toBeGreaterThan(100);
    expect(leftOut).toBeGreaterThan(100);
    // A round asks for exactly that: what it stores has the function facts and not the env read.
    const root = temp('fn-only');
    const cacheDir = temp('fn-only-cache');
    writeFileSync(join(root, 'auth.py'), PY_AUTH);
    expect((await extractFile('auth.py', PY_AUTH, 'python', OPTIONS)).envReads.map((r) => r.name)).toEqual(['JWT_SECRET']);
    const files = new Map<string, FunctionSource>([['auth.py', { absPath: join(root, 'auth.py'), language: 'python' }]]);
    const functionsOf = await gatherFunctionFacts({ files, extract: OPTIONS, maxBytes: 1 << 20, maxLineLength: 0, cache: { dir: cacheDir } }, (known) =>
      known('auth.py') === undefined ? ['auth.py'] : [],
    );
    expect(functionsOf('auth.py')?.map((f) => f.name)).toEqual(['check_socket']);
    const stored = cacheEntries(cacheDir);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toContain('check_socket');
    expect(stored[0]).not.toContain('JWT_SECRET');
  });

  it('are kept in the cache under keys of their own', async () => {
    const root = temp('fn-cache');
    const cacheDir = temp('fn-cache-dir');
    writeFileSync(join(root, 'auth.ts'), TS_HELPER);
    const files = new Map<string, FunctionSource>([['auth.ts', { absPath: join(root, 'auth.ts'), language: 'ts' }]]);
    const gather = () =>
      gatherFunctionFacts({ files, extract: OPTIONS, maxBytes: 1 << 20, maxLineLength: 0, cache: { dir: cacheDir } }, (known) =>
        known('auth.ts') === undefined ? ['auth.ts'] : [],
      );
    const first = (await gather())('auth.ts');
    expect(first?.map((f) => f.name)).toEqual(['authenticate']);
    expect(entryCount(cacheDir)).toBe(1);
    expect((await gather())('auth.ts')).toEqual(first);
    expect(entryCount(cacheDir)).toBe(1);
    // A file edited since is a new entry.
    writeFileSync(join(root, 'auth.ts'), TS_HELPER.replace('JWT_SECRET', 'WS_SECRET'));
    expect((await gather())('auth.ts')?.map((f) => f.name)).toEqual(['authenticate']);
    expect(entryCount(cacheDir)).toBe(2);
  });

  it('let a WebSocket endpoint be verified in a helper of another file, in a scan', async () => {
    const root = temp('fn-scan');
    writeFileSync(join(root, 'requirements.txt'), 'fastapi\npyjwt\n');
    writeFileSync(join(root, 'main.py'), PY_ENDPOINT);
    writeFileSync(join(root, 'auth.py'), PY_AUTH);
    {
      const { model } = await scan({ root, config: parseConfig({}, 'x') });
      expect(model.wsEndpoints.map((e) => [e.file, e.fullPath, e.verification, e.verifyOps.map((op) => op.file)])).toEqual([
        ['main.py', '/ws', 'verified', ['auth.py']],
      ]);
    }
  });

  it('are extracted when a scan with a warm cache follows an endpoint into a helper the cache has no function facts of', async () => {
    const root = temp('fn-warm');
    const cacheDir = temp('fn-warm-cache');
    writeFileSync(join(root, 'requirements.txt'), 'fastapi\npyjwt\n');
    writeFileSync(join(root, 'auth.py'), PY_AUTH);
    // No endpoint yet: the scan caches the helper's facts but never asks for its function facts.
    const before = await scan({ root, config: parseConfig({}, 'x'), cache: { dir: cacheDir } });
    expect(before.model.wsEndpoints).toEqual([]);
    writeFileSync(join(root, 'main.py'), PY_ENDPOINT);
    for (const round of ['cache misses the helper', 'cache holds everything']) {
      const { model } = await scan({ root, config: parseConfig({}, 'x'), cache: { dir: cacheDir } });
      expect([round, model.wsEndpoints.map((e) => e.verification)]).toEqual([round, ['verified']]);
    }
  });
});
