// The extraction worker pool gives the same facts, in the same order, as in-process extraction.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENV_ACCESSORS } from '../src/config/schema.js';
import {
  packOutcomes,
  parseEach,
  parseFacts,
  queueBuffers,
  queueFiles,
  queueItem,
  SharedValues,
  type BatchItem,
  type LaneMessage,
  type PostedOutcome,
} from '../src/extract/batch.js';
import { boundNames } from '../src/extract/bounds.js';
import { emptyFacts } from '../src/extract/facts.js';
import { extractFile } from '../src/extract/index.js';
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
});

describe('SharedValues', () => {
  it('shares imports, and the strings, locations and binding lists of exports, across files and changes no value', async () => {
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const python = [
      'from shared.config import settings as cfg',
      'import os.path',
      'KEY = cfg.jwt_secret',
      'def pick(state):',
      '    if state:',
      '        return "on"',
      '    return state',
    ];
    const typescript = ["import jwt from 'jsonwebtoken';", "import { secret as s } from '../common/config';", 'export const KEY = s;'];
    const files = [
      await extractFile('svc/a.py', python.join('\n'), 'python', extract),
      await extractFile('svc/b.py', python.join('\n'), 'python', extract),
      await extractFile('web/a.ts', typescript.join('\n'), 'ts', extract),
      await extractFile('web/b.ts', typescript.join('\n'), 'ts', extract),
    ];
    // Each kind of string `share` visits is there, twice: import specifiers and bindings, export names,
    // an imported value's module and name, an unknown value's description.
    expect(files.map((f) => f.exports.map((e) => [e.name, e.value.sources.map((source) => source.kind)]))).toEqual([
      [
        ['KEY', ['import']],
        ['pick', ['literal', 'unknown']],
      ],
      [
        ['KEY', ['import']],
        ['pick', ['literal', 'unknown']],
      ],
      [['KEY', ['import']]],
      [['KEY', ['import']]],
    ]);
    const names = new SharedValues();
    const shared = files.map((facts) => names.share(parseFacts(JSON.stringify(facts))));
    expect(shared).toEqual(files);
    // Equal locations are one object: the two Python files' imports and exports, and their values' sources.
    const [a, b] = shared;
    expect(a.imports.map((i) => i.loc)).toEqual(b.imports.map((i) => i.loc));
    // Equal imports are one object, for Python and TypeScript alike; the key an import is shared by
    // holds every field, so the extractors must give an import no field beyond these.
    expect(a.imports).toHaveLength(2);
    for (const [x, y] of [shared.slice(0, 2), shared.slice(2)]) x.imports.forEach((i, k) => expect(i).toBe(y.imports[k]));
    for (const i of shared.flatMap((f) => f.imports)) {
      expect(Object.keys(i).sort()).toEqual(['bindings', 'inFunction', 'inTry', 'inTypeChecking', 'kind', 'loc', 'specifier', 'typeOnly']);
    }
    // An import that differs in one field, a flag, the span or a binding, is an object of its own (whose parts are still shared).
    const variants = [
      { inTry: true },
      { typeOnly: true },
      { loc: { ...a.imports[0].loc, endColumn: a.imports[0].loc.endColumn + 1 } },
      { bindings: [{ local: 'c', imported: 'settings' }] },
    ];
    for (const change of variants) {
      const [imp] = names.share({ ...a, imports: [{ ...a.imports[0], ...change }] }).imports;
      expect(imp).not.toBe(a.imports[0]);
      expect(imp).toEqual({ ...a.imports[0], ...change });
      expect(imp.specifier).toBe(a.imports[0].specifier);
    }
    a.exports.forEach((e, k) => expect(e.loc).toBe(b.exports[k].loc));
    const sourceLocs = (f: (typeof shared)[number]) => f.exports.flatMap((e) => e.value.sources.flatMap((s) => ('loc' in s ? [s.loc] : [])));
    expect(sourceLocs(a)).toHaveLength(3);
    sourceLocs(a).forEach((loc, k) => expect(loc).toBe(sourceLocs(b)[k]));
    // A location too far out for its key is kept as it is, unshared.
    const far = { line: 2 ** 21, column: 1, endLine: 2 ** 21, endColumn: 5 };
    const farFacts = () => ({ ...a, imports: [{ ...a.imports[0], loc: { ...far } }] });
    const [farA, farB] = [names.share(farFacts()).imports[0], names.share(farFacts()).imports[0]];
    expect(farA).not.toBe(farB);
    expect(farA.loc).not.toBe(farB.loc);
    expect(farA).toEqual(farB);
  });
});

describe('shared empty lists', () => {
  it("are one frozen array for every file, and a note added later goes in a list of the file's own", () => {
    const names = new SharedValues();
    const [a, b] = ['svc/a.py', 'svc/b.py'].map((path) => names.share(parseFacts(JSON.stringify({ ...emptyFacts(path, 'python'), keyCalls: [] }))));
    expect(a.envReads).toEqual([]);
    for (const list of [a.envReads, a.jwtOps, a.keyCalls, b.notifications]) expect(list).toBe(a.notifications);
    expect(Object.isFrozen(a.notifications)).toBe(true);
    expect(() => (a.notifications as unknown[]).push('x')).toThrow(TypeError);
    // A list with something in it stays the file's own.
    const long = 'JWT_SECRET_' + 'X'.repeat(300);
    const c = names.share(parseFacts(JSON.stringify({ ...emptyFacts('svc/c.py', 'python'), provisions: [{ name: long }] })));
    expect(c.provisions).not.toBe(c.notifications);
    boundNames(c);
    expect(c.notifications.map((n) => n.id)).toEqual(['long-name']);
    expect(a.notifications).toEqual([]);
  });
});

describe("a lane's files", () => {
  it('come back from their buffers as they went in, paths of several bytes a character included, and the buffers move with them', () => {
    const paths = ['svc/main.py', 'données/clé.py', 'web/🔑/auth.ts', 'deploy/values.yaml', 'a.ts'];
    const items: BatchItem[] = paths.map((path, i) => ({ path, absPath: `/repo/ü/${path}`, language: (['python', 'python', 'ts', 'yaml', 'js'] as const)[i] }));
    const indices = [4, 1, 2, 0];
    const files = queueFiles(items, indices);
    const moved = structuredClone(files, { transfer: queueBuffers([null, files]) });
    expect(files.text.byteLength).toBe(0);
    expect(Array.from(moved.indices)).toEqual(indices);
    expect(indices.map((_, k) => queueItem(moved, k))).toEqual(indices.map((i) => items[i]));
    const empty = queueFiles(items, []);
    expect(empty.indices).toHaveLength(0);
  });
});

describe('packed facts', () => {
  it('come back from a posted pack as they went in, text of several bytes a character included', () => {
    // Places in a pack count UTF-16 units, its text is UTF-8: 'é', '€' and '🔑' take 2, 3 and 4 bytes there (and '🔑' two units).
    const texts = Array.from({ length: 40 }, (_, i) => JSON.stringify({ path: `svc/m${i}.py`, note: `${'é€🔑x'.repeat(500 + i)}${i}` }));
    const outcomes: [number, PostedOutcome][] = texts.map((json, i) => [i, { kind: 'facts', json, key: null, hit: false, bytes: json.length, follows: false }]);
    outcomes.splice(3, 0, [40, { kind: 'skipped', reason: 'skipped-binary', message: 'binary' }]);
    const buffer = packOutcomes(outcomes);
    if (buffer === null) throw new Error('no pack');
    expect(buffer.byteLength).toBeLessThan(Buffer.byteLength(texts.join('')) / 10);
    // As a worker posts it: the buffer moves, the outcomes share one pack.
    const posted = structuredClone({ outcomes } satisfies LaneMessage, { transfer: [buffer] });
    const jsons = posted.outcomes.map(([, outcome]) => (outcome.kind === 'facts' ? outcome.json : undefined));
    expect(jsons.filter((json) => typeof json === 'object')).toHaveLength(40);
    const parsed = new Map<number, unknown>();
    parseEach(jsons, (position, facts) => parsed.set(posted.outcomes[position][0], facts));
    expect([...parsed.keys()].sort((x, y) => x - y)).toEqual(texts.map((_, i) => i));
    texts.forEach((json, i) => expect(parsed.get(i)).toEqual(JSON.parse(json)));
  });

  it('posts nothing to move when no outcome has facts', () => {
    expect(packOutcomes([[0, { kind: 'deep', key: null, bytes: 10 }]])).toBeNull();
  });
});
