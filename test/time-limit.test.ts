// The time limit per file: a file whose extraction never ends is reported as not analysed, on a worker lane or on the main thread, and every other file is extracted.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENV_ACCESSORS } from '../src/config/schema.js';
import type { BatchItem } from '../src/extract/batch.js';
import { gatherFunctionFacts, type FunctionSource } from '../src/extract/functions.js';
import { extractAll, LanePool } from '../src/extract/pool.js';
import { loadConfig } from '../src/config/load.js';
import { scan } from '../src/run.js';
// The worker entry run from sources, with its test seams: imported here, it hands them to this thread too.
import '../src/extract/worker-dev.js';

describe('time limit per file', () => {
  const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
  // Seams of the workers run from sources (src/extract/worker-dev.ts): such a file never finishes.
  const NEVER_ENDS = '# jwtfrag-test: extraction never ends\n';
  const DEEP_THEN_NEVER_ENDS = '# jwtfrag-test: too deep for a lane, then never ends\n';
  const setup = (files: number): { dir: string; items: BatchItem[]; write: (path: string, text: string) => BatchItem } => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-pool-'));
    mkdirSync(join(dir, 'svc'), { recursive: true });
    const write = (path: string, text: string): BatchItem => {
      writeFileSync(join(dir, path), text);
      return { path, absPath: join(dir, path), language: path.endsWith('.py') ? 'python' : 'ts' };
    };
    const items = Array.from({ length: files }, (_, i) =>
      i % 2 === 0
        ? write(`svc/m${i}.py`, `import os\nK${i} = os.getenv("JWT_SECRET_${i % 3}")\n`)
        : write(`svc/t${i}.ts`, `export const k${i} = process.env.JWT_SECRET_${i % 3};\n`),
    );
    return { dir, items, write };
  };
  const failures = (results: Awaited<ReturnType<typeof extractAll>>): string[] =>
    results.flatMap((r) => (r.ok ? r.facts.notifications.filter((n) => n.id === 'extract-failed').map((n) => `${n.file ?? ''}: ${n.message}`) : []));
  const limitMessage = 'not analysed: its extraction took longer than 0.4 s (fileTimeLimit); findings in this file may be missing';

  it('ends a lane stuck on one file, reports that file and extracts every other one', async () => {
    const { items, write } = setup(160);
    // In the middle of each queue, so that each stuck lane has outcomes it had not posted (they go to the last try).
    const stuck = [
      write('svc/stuck.py', `${NEVER_ENDS}import os\nX = os.getenv("JWT_SECRET")\n`),
      write('svc/stuck.ts', `// ${NEVER_ENDS}export const x = 1;\n`),
    ];
    const all = [...items.slice(0, 80), ...stuck, ...items.slice(80)];
    const expected = await extractAll(items, { jobs: 1, maxBytes: 1e6, extract });
    for (const jobs of [2, 1]) {
      const lanes: number[][] = [];
      const pooled = await extractAll(all, { jobs, maxBytes: 1e6, extract, poolThreshold: 1, fileTimeLimit: 400, onLane: (own) => lanes.push([...own]) });
      expect(pooled.map((r) => r.path)).toEqual(all.map((i) => i.path));
      expect(failures(pooled)).toEqual([`svc/stuck.py: ${limitMessage}`, `svc/stuck.ts: ${limitMessage}`]);
      for (const [k, r] of pooled.entries()) if (r.ok && r.facts.path.startsWith('svc/stuck.')) expect(r.facts.envReads, `stuck file ${k}`).toEqual([]);
      expect(pooled.filter((r) => !r.path.startsWith('svc/stuck.'))).toEqual(expected);
      // Each time a lane was stuck, its queues went on on a fresh thread (with two jobs, a fresh thread may
      // also take the Python queue when the TypeScript lane ends first; it never takes TypeScript otherwise).
      if (jobs === 1)
        expect(lanes).toEqual([
          [0, 1],
          [0, 1],
          [0, 1],
        ]);
      else {
        expect(lanes.filter((own) => own.includes(0))).toEqual([[0], [0]]);
        expect(lanes.filter((own) => own.includes(1)).length).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('without a limit, a lane is never ended', async () => {
    const { items } = setup(40);
    // A file that takes a while on a fresh thread (the front ends load first) is not stopped at 0 (no limit).
    const pooled = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1, fileTimeLimit: 0 });
    expect(pooled).toEqual(await extractAll(items, { jobs: 1, maxBytes: 1e6, extract }));
  });

  it('holds on the last try too', async () => {
    const { items, write } = setup(20);
    const deep = write('svc/deep.py', `${DEEP_THEN_NEVER_ENDS}X = 1\n`);
    const all = [...items.slice(0, 10), deep, ...items.slice(10)];
    const pooled = await extractAll(all, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1, fileTimeLimit: 400 });
    expect(failures(pooled)).toEqual([`svc/deep.py: ${limitMessage}`]);
    expect(pooled.filter((r) => r.path !== 'svc/deep.py')).toEqual(await extractAll(items, { jobs: 1, maxBytes: 1e6, extract }));
  });

  it('holds in the function-fact rounds: the stuck file has no facts, the files after it do', async () => {
    const { write } = setup(0);
    const helper = (name: string): BatchItem => write(`svc/${name}.py`, `import jwt\ndef ${name}(t):\n    return jwt.decode(t, "k", algorithms=["HS256"])\n`);
    const files = [helper('first'), write('svc/stuck.py', `${NEVER_ENDS}def stuck():\n    pass\n`), helper('second'), helper('third')];
    const settings = { maxBytes: 1e6, maxLineLength: 0, extract: { ...extract, functionFacts: true }, cache: null, lastTry: false };
    const rounds = new LanePool(settings, null, 400);
    const timedOut: string[] = [];
    try {
      const facts = await rounds.extract(files, (item) => timedOut.push(item.path));
      expect(facts.map((f) => f?.functions?.map((fn) => fn.name) ?? null)).toEqual([['first'], null, ['second'], ['third']]);
      expect(timedOut).toEqual(['svc/stuck.py']);
      // The lane goes on serving later rounds.
      const [again] = await rounds.extract([helper('later')], (item) => timedOut.push(item.path));
      expect(again?.functions?.map((fn) => fn.name)).toEqual(['later']);
      expect(timedOut).toEqual(['svc/stuck.py']);
    } finally {
      await rounds.close();
    }
  });

  describe('on the main thread', () => {
    it('stops a file that runs out of time in a small scan, reports it and extracts every other one', async () => {
      const { items, write } = setup(40);
      const stuck = [write('svc/stuck.py', `${NEVER_ENDS}X = 1\n`), write('svc/stuck.ts', `// ${NEVER_ENDS}export const x = 1;\n`)];
      const all = [...items.slice(0, 20), ...stuck, ...items.slice(20)];
      const lanes: number[][] = [];
      // 42 files, under the pool's threshold: all on this thread.
      const results = await extractAll(all, { jobs: 2, maxBytes: 1e6, extract, fileTimeLimit: 400, onLane: (own) => lanes.push([...own]) });
      expect(lanes).toEqual([]);
      expect(failures(results)).toEqual([`svc/stuck.py: ${limitMessage}`, `svc/stuck.ts: ${limitMessage}`]);
      expect(results.filter((r) => !r.path.startsWith('svc/stuck.'))).toEqual(await extractAll(items, { jobs: 1, maxBytes: 1e6, extract }));
      // The Python parser starts afresh after the stopped parse: the same text gives the same facts.
      expect(await extractAll(items, { jobs: 1, maxBytes: 1e6, extract })).toEqual(results.filter((r) => !r.path.startsWith('svc/stuck.')));
    });

    it('stops a parse half done and starts the next file afresh', async () => {
      const { items, write } = setup(40);
      // Three MB of Python: its parse takes far longer than the limit (plus a slice's 50 ms), so it is stopped inside tree-sitter.
      const big = write('svc/big.py', 'import os\nK = os.getenv("JWT_SECRET")\n'.repeat(80_000));
      const python = items.filter((item) => item.language === 'python');
      const expected = await extractAll(python, { jobs: 1, maxBytes: 1e6, extract });
      const results = await extractAll([big, ...python], { jobs: 1, maxBytes: 4e6, extract, fileTimeLimit: 25 });
      expect(failures(results)).toEqual([`svc/big.py: ${limitMessage.replace('0.4 s', '0.025 s')}`]);
      // The files after it parse as they do in a thread that never stopped a parse.
      expect(results.slice(1)).toEqual(expected);
    });

    it('holds in the function-fact rounds', async () => {
      const { dir, write } = setup(0);
      const helper = (name: string): BatchItem => write(`svc/${name}.py`, `import jwt\ndef ${name}(t):\n    return jwt.decode(t, "k", algorithms=["HS256"])\n`);
      const list = [helper('first'), write('svc/stuck.py', `${NEVER_ENDS}def stuck():\n    pass\n`), helper('second')];
      const files = new Map<string, FunctionSource>(list.map((item) => [item.path, { absPath: join(dir, item.path), language: item.language }]));
      const timedOut: string[] = [];
      const of = await gatherFunctionFacts(
        { files, extract, maxBytes: 1e6, maxLineLength: 0, fileTimeLimit: 400, cache: null, lanes: false, onTimedOut: (path) => timedOut.push(path) },
        (known) => list.map((item) => item.path).filter((path) => known(path) === undefined),
      );
      expect(list.map((item) => of(item.path)?.map((fn) => fn.name) ?? null)).toEqual([['first'], null, ['second']]);
      expect(timedOut).toEqual(['svc/stuck.py']);
    });

    it('tells a scan which file a WebSocket auth path could not be followed into', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-follow-'));
      mkdirSync(join(dir, 'svc'), { recursive: true });
      writeFileSync(join(dir, 'jwtfrag.config.json'), JSON.stringify({ fileTimeLimit: 0.4 }));
      writeFileSync(
        join(dir, 'svc/app.py'),
        [
          'from fastapi import FastAPI, WebSocket',
          'from svc.auth import check_token',
          '',
          'app = FastAPI()',
          '',
          '@app.websocket("/ws")',
          'async def ws(websocket: WebSocket):',
          '    user = check_token(websocket.headers.get("authorization"))',
          '    await websocket.accept()',
          '',
        ].join('\n'),
      );
      const helper = (marker: string): void =>
        writeFileSync(join(dir, 'svc/auth.py'), `${marker}import jwt\n\ndef check_token(token):\n    return jwt.decode(token, "k", algorithms=["HS256"])\n`);
      const notes = async (): Promise<string[]> => {
        const { result } = await scan({ root: dir, config: loadConfig(dir).config, jobs: 1 });
        return result.notifications.filter((n) => n.id === 'analysis-limit').map((n) => `${n.level} ${n.file ?? ''}: ${n.message}`);
      };
      helper('');
      expect(await notes()).toEqual([]);
      // Its first extraction ends; its function facts, asked for by the endpoint's follow, never do.
      helper('# jwtfrag-test: function facts never end\n');
      expect(await notes()).toEqual([
        'warning svc/auth.py: the functions of this file were not followed from a WebSocket endpoint: extracting them took longer than 0.4 s (fileTimeLimit); findings of endpoints whose auth path leads here may be missing',
      ]);
    });
  });
});
