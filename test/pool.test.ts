// The extraction worker pool gives the same facts, in the same order, as in-process extraction.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENV_ACCESSORS } from '../src/config/schema.js';
import type { BatchItem } from '../src/extract/batch.js';
import { extractAll, LanePool, type KeptLane } from '../src/extract/pool.js';

describe('extraction pool', () => {
  it('workers and the in-process path agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-pool-'));
    const items: BatchItem[] = [];
    for (let i = 0; i < 150; i++) {
      const py = i % 2 === 0;
      // Workers post facts as UTF-8 bytes: some paths are not ASCII.
      const path = `svc/m${i}${i % 5 === 0 ? '-clé🔑' : ''}.${py ? 'py' : 'ts'}`;
      mkdirSync(join(dir, 'svc'), { recursive: true });
      writeFileSync(join(dir, path), py ? `import os\nK${i} = os.getenv("JWT_SECRET_${i % 3}")\n` : `export const k${i} = process.env.JWT_SECRET_${i % 3};\n`);
      items.push({ path, absPath: join(dir, path), language: py ? 'python' : 'ts' });
    }
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const inline = await extractAll(items, { jobs: 1, maxBytes: 1e6, extract });
    const pooled = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1 });
    expect(pooled.map((r) => r.path)).toEqual(items.map((i) => i.path));
    expect(pooled).toEqual(inline);
    const names = inline.flatMap((r) => (r.ok ? r.facts.envReads.map((e) => e.name) : []));
    expect(names).toHaveLength(150);
    expect(new Set(names)).toEqual(new Set(['JWT_SECRET_0', 'JWT_SECRET_1', 'JWT_SECRET_2']));
    const unusual = pooled.flatMap((r) => (r.ok && r.facts.path.includes('-clé🔑.') ? r.facts.envReads.map((e) => e.name) : []));
    expect(unusual).toHaveLength(30);
  });

  it('ends a lane whose queue is empty and starts a fresh thread on the queue with files left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-pool-'));
    mkdirSync(join(dir, 'svc'), { recursive: true });
    const items: BatchItem[] = [];
    // No TypeScript file and many Python ones: the TypeScript lane runs out at once. Each file carries
    // some work, so that files are still left when it does, however slowly its thread starts.
    const body = Array.from({ length: 40 }, (_, k) => `def f${String(k)}(x):\n    return os.getenv("A_${String(k)}", x)\n`).join('');
    for (let i = 0; i < 600; i++) {
      const path = `svc/m${i}.py`;
      writeFileSync(join(dir, path), `import os\nK${i} = os.getenv("JWT_SECRET_${i % 3}")\n${body}`);
      items.push({ path, absPath: join(dir, path), language: 'python' });
    }
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const inline = await extractAll(items, { jobs: 1, maxBytes: 1e6, extract });
    const lanes: number[][] = [];
    const pooled = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1, onLane: (own) => lanes.push([...own]) });
    expect(pooled).toEqual(inline);
    // The second Python lane is a fresh thread; the TypeScript queue, empty, gets none.
    expect(lanes.sort()).toEqual([[0], [1], [1]]);
    // With one job, the one lane takes both queues and no other thread starts.
    const single: number[][] = [];
    await extractAll(items, { jobs: 1, maxBytes: 1e6, extract, poolThreshold: 1, onLane: (own) => single.push([...own]) });
    expect(single).toEqual([[0, 1]]);
  });

  it('keeps the last lane, warm, for the function-fact rounds when a WebSocket auth path starts in a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtfrag-pool-'));
    mkdirSync(join(dir, 'svc'), { recursive: true });
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const write = (path: string, text: string, language: BatchItem['language']): BatchItem => {
      writeFileSync(join(dir, path), text);
      return { path, absPath: join(dir, path), language };
    };
    // Enough Python that both lanes on its queue extract some of it (only a lane that ran Python is kept).
    const body = Array.from({ length: 40 }, (_, k) => `def f${String(k)}(x):\n    return os.getenv("A_${String(k)}", x)\n`).join('');
    const python = Array.from({ length: 600 }, (_, i) => write(`svc/m${i}.py`, `import os\nK${String(i)} = os.getenv("JWT_SECRET")\n${body}`, 'python'));
    const endpoint = write(
      'svc/ws.py',
      'from fastapi import FastAPI, WebSocket\nfrom svc.auth import check\napp = FastAPI()\n@app.websocket("/ws")\nasync def ws(websocket: WebSocket):\n    check(websocket)\n',
      'python',
    );
    const helper = write('svc/auth.py', 'import jwt\ndef check(ws):\n    return jwt.decode(ws.query_params["token"], "k", algorithms=["HS256"])\n', 'python');
    const keptBy = async (items: BatchItem[]): Promise<KeptLane[]> => {
      const kept: KeptLane[] = [];
      const pooled = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1, keepLane: (lane) => kept.push(lane) });
      expect(pooled).toEqual(await extractAll(items, { jobs: 1, maxBytes: 1e6, extract }));
      return kept;
    };

    // Every lane runs Python: the last to end stays, and the rounds adopt it.
    const [lane, ...others] = await keptBy([...python, endpoint]);
    expect(others).toEqual([]);
    expect(lane.alive).toBe(true);
    const settings = { maxBytes: 1e6, maxLineLength: 0, extract: { ...extract, functionFacts: true }, cache: null, lastTry: false };
    const rounds = new LanePool(settings, lane);
    expect(rounds.started).toBe(true);
    const [facts] = await rounds.extract([helper]);
    expect(lane.alive).toBe(false);
    expect(facts?.functions?.map((fn) => fn.name)).toEqual(['check']);
    await rounds.close();

    // No file where a follow starts: no lane stays.
    expect(await keptBy(python)).toEqual([]);

    // The TypeScript lane, the last to end, never stays (its compiler is the largest thing a thread holds).
    const typescript = Array.from({ length: 400 }, (_, i) => write(`svc/t${i}.ts`, `export const k${String(i)} = process.env.JWT_SECRET;\n`, 'ts'));
    const server = write('svc/io.ts', "import { Server } from 'socket.io';\nexport const io = new Server(3000);\n", 'ts');
    expect(await keptBy([...typescript, server])).toEqual([]);
  });

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
      try {
        const facts = await rounds.extract(files);
        expect(facts.map((f) => f?.functions?.map((fn) => fn.name) ?? null)).toEqual([['first'], null, ['second'], ['third']]);
        // The lane goes on serving later rounds.
        const [again] = await rounds.extract([helper('later')]);
        expect(again?.functions?.map((fn) => fn.name)).toEqual(['later']);
      } finally {
        await rounds.close();
      }
    });
  });
});
