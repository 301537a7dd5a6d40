// The facts cache: results with no cache, a cold cache and a warm one are byte-identical (both fixture monorepos and the bench corpus);
// corrupt, truncated and foreign entries are ignored and rewritten; concurrent scans share a folder safely; the size bound prunes old entries.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FactCache, readEntry, writeEntry } from '../src/cache/index.js';
import { loadConfig } from '../src/config/load.js';
import { DEFAULT_ENV_ACCESSORS } from '../src/config/schema.js';
import { processFile, type BatchItem } from '../src/extract/batch.js';
import { extractAll } from '../src/extract/pool.js';
import { scan } from '../src/run.js';
import { generateCorpus, writeCorpus } from '../scripts/bench-corpus.js';
import { runCli, tempRepo } from './helpers/cli.js';

const MONOREPOS = join(import.meta.dirname, '..', 'fixtures', 'monorepos');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `jwtfrag-${prefix}-`));
  temps.push(dir);
  return dir;
}

/** Every cache entry file below a cache folder. */
function entries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

async function scanJson(root: string, cacheDir?: string): Promise<{ json: string; hits: number; misses: number }> {
  let stats = { hits: 0, misses: 0 };
  const { result } = await scan({
    root,
    config: loadConfig(root).config,
    jobs: 1,
    cache: cacheDir === undefined ? undefined : { dir: cacheDir },
    onCacheStats: (s) => (stats = s),
  });
  return { json: JSON.stringify(result), ...stats };
}

const benchRoot = (): string => {
  const dir = temp('cache-bench');
  writeCorpus(dir, generateCorpus(300, 7).files);
  return dir;
};

describe('facts cache: identical results', () => {
  const roots: [string, () => string][] = [
    ['fixture monorepo fastapi-platform', () => join(MONOREPOS, 'fastapi-platform')],
    ['fixture monorepo nest-microservices', () => join(MONOREPOS, 'nest-microservices')],
    ['bench corpus (300 files)', benchRoot],
  ];
  for (const [name, root] of roots) {
    it(`${name}: no cache, cold cache, warm cache and corrupted cache give the same bytes`, async () => {
      const dir = root();
      const cacheDir = temp('cache');
      const none = await scanJson(dir);
      const cold = await scanJson(dir, cacheDir);
      expect(cold.hits).toBe(0);
      expect(cold.misses).toBeGreaterThan(0);
      const warm = await scanJson(dir, cacheDir);
      expect(warm.hits).toBe(cold.misses);
      expect(warm.misses).toBe(0);
      expect(cold.json).toBe(none.json);
      expect(warm.json).toBe(none.json);

      // Damage every entry in a different way: each is detected and extracted again.
      const files = entries(cacheDir);
      files.forEach((file, i) => {
        const text = readFileSync(file, 'utf8');
        const body = text.indexOf('\n') + 1;
        // Truncated; one letter changed (still valid JSON of the same length); a foreign header; empty.
        const flipped = text.slice(0, body) + text.slice(body).replace('a', 'b');
        const damaged = [text.slice(0, Math.floor(text.length / 2)), flipped, `garbage\n${text}`, ''][i % 4];
        writeFileSync(file, damaged);
      });
      const repaired = await scanJson(dir, cacheDir);
      expect(repaired.hits).toBe(0);
      expect(repaired.json).toBe(none.json);
      const again = await scanJson(dir, cacheDir);
      expect(again.misses).toBe(0);
      expect(again.json).toBe(none.json);
    }, 60_000);
  }

  it('a changed file is extracted again; the others are reused', async () => {
    const dir = temp('cache-change');
    mkdirSync(join(dir, 'svc'));
    writeFileSync(join(dir, 'svc', 'a.py'), 'import os\nA = os.getenv("JWT_SECRET")\n');
    writeFileSync(join(dir, 'svc', 'b.py'), 'import os\nB = os.getenv("JWT_SECRET")\n');
    const cacheDir = temp('cache');
    await scanJson(dir, cacheDir);
    writeFileSync(join(dir, 'svc', 'b.py'), 'import os\nB = os.getenv("AUTH_JWT_SECRET")\n');
    const changed = await scanJson(dir, cacheDir);
    expect([changed.hits, changed.misses]).toEqual([1, 1]);
    expect(changed.json).toBe((await scanJson(dir)).json);
    expect(changed.json).toContain('AUTH_JWT_SECRET');
  });

  it('two scans at once on one cache folder both give the uncached result', async () => {
    const dir = benchRoot();
    const cacheDir = temp('cache');
    const none = await scanJson(dir);
    const [a, b] = await Promise.all([scanJson(dir, cacheDir), scanJson(dir, cacheDir)]);
    expect(a.json).toBe(none.json);
    expect(b.json).toBe(none.json);
    expect(entries(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await scanJson(dir, cacheDir)).misses).toBe(0);
  }, 60_000);

  it('worker threads write the entries the main thread reads back', async () => {
    const dir = temp('cache-pool');
    const items: BatchItem[] = [];
    mkdirSync(join(dir, 'svc'));
    for (let i = 0; i < 40; i++) {
      const path = `svc/m${i}.${i % 2 ? 'ts' : 'py'}`;
      writeFileSync(join(dir, path), i % 2 ? `export const k = process.env.JWT_SECRET_${i};\n` : `import os\nK = os.getenv("JWT_SECRET_${i}")\n`);
      items.push({ path, absPath: join(dir, path), language: i % 2 ? 'ts' : 'python' });
    }
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const cacheDir = temp('cache');
    const plain = await extractAll(items, { jobs: 1, maxBytes: 1e6, extract });
    const writer = new FactCache({ dir: cacheDir }, extract);
    const pooled = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1, cache: writer });
    const reader = new FactCache({ dir: cacheDir }, extract);
    const cached = await extractAll(items, { jobs: 2, maxBytes: 1e6, extract, poolThreshold: 1, cache: reader });
    expect([writer.misses, reader.hits, reader.misses]).toEqual([40, 40, 0]);
    expect(pooled).toEqual(plain);
    expect(cached).toEqual(plain);
    // Other extraction settings are other keys.
    const other = new FactCache({ dir: cacheDir }, { ...extract, envAccessors: { ...extract.envAccessors, python: ['cfg.require'] } });
    expect(other.key('svc/m0.py', 'python', 'x')).not.toBe(reader.key('svc/m0.py', 'python', 'x'));
  });

  it('tells from cached facts, as from fresh ones, whether a WebSocket auth path starts in the file', async () => {
    const dir = temp('cache-follows');
    const files: [string, string, boolean][] = [
      [
        'ws.py',
        'from fastapi import FastAPI, WebSocket\napp = FastAPI()\n@app.websocket("/ws")\nasync def ws(websocket: WebSocket):\n    await websocket.accept()\n',
        true,
      ],
      ['io.ts', "import { Server } from 'socket.io';\nexport const io = new Server(3000);\n", true],
      // The words in a string value are escaped in the JSON: not a key.
      ['note.py', 'NOTE = \'"wsEndpoints":[{ "wsServers": \'\n', false],
      ['plain.ts', 'export const k = process.env.JWT_SECRET ?? \'"wsServers":\';\n', false],
    ];
    const items: BatchItem[] = files.map(([path, text]) => {
      writeFileSync(join(dir, path), text);
      return { path, absPath: join(dir, path), language: path.endsWith('.py') ? 'python' : 'ts' };
    });
    const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };
    const cache = new FactCache({ dir: temp('cache') }, extract);
    const settings = { maxBytes: 1e6, maxLineLength: 0, extract, cache: cache.lookup, lastTry: false };
    for (const round of ['fresh', 'cached']) {
      const follows = [];
      for (const item of items) {
        const outcome = await processFile(item, settings);
        if (outcome.kind !== 'facts') throw new Error(`${item.path}: ${outcome.kind}`);
        follows.push([item.path, outcome.hit, outcome.follows]);
      }
      expect([round, follows]).toEqual([round, files.map(([path, , starts]) => [path, round === 'cached', starts])]);
    }
  });
});

describe('facts cache: entries', () => {
  it('are read back only when header, length and checksum match', () => {
    const dir = temp('cache-entry');
    expect(writeEntry(dir, 'ab12', '{"a":1}')).toBe(true);
    expect(readEntry(dir, 'ab12')).toBe('{"a":1}');
    expect(readEntry(dir, 'ab13')).toBeNull();
    const [file] = entries(dir);
    const text = readFileSync(file, 'utf8');
    for (const bad of [text.replace('{"a":1}', '{"a":2}'), text.slice(0, -1), text.replace('jwtfrag-facts 1', 'jwtfrag-facts 9'), text.split('\n')[0]]) {
      writeFileSync(file, bad);
      expect(readEntry(dir, 'ab12'), bad).toBeNull();
    }
  });

  it('a folder that cannot be written is a slower scan, not a failed one', () => {
    const dir = temp('cache-ro');
    writeFileSync(join(dir, 'file'), 'not a folder');
    expect(writeEntry(join(dir, 'file'), 'ab12', '{}')).toBe(false);
  });

  it('are pruned oldest first down to the bound, keeping what this scan used, and old formats and stale temporaries go', () => {
    const dir = temp('cache-prune');
    const payload = 'x'.repeat(300);
    const keys = Array.from({ length: 10 }, (_, i) => `${String(i).padStart(2, '0')}${'f'.repeat(62)}`);
    const now = Date.now();
    keys.forEach((key, i) => {
      writeEntry(dir, key, payload);
      const file = entries(dir).find((f) => f.endsWith(key.slice(2)));
      if (!file) throw new Error('entry not written');
      const when = (now - (100 - i) * 60_000) / 1000;
      utimesSync(file, when, when);
    });
    // The bound counts whole blocks, as `du` does: an entry of 300-odd bytes takes a block.
    const footprint = (file: string): number => {
      const stat = statSync(file);
      return stat.blocks > 0 ? Math.max(stat.size, stat.blocks * 512) : stat.size;
    };
    const one = footprint(entries(dir)[0]);
    expect(one).toBeGreaterThanOrEqual(statSync(entries(dir)[0]).size);
    const cache = new FactCache({ dir, maxBytes: Math.floor(6.5 * one) }, {});
    cache.get(keys[0]);
    mkdirSync(join(dir, 'facts-v0', 'aa'), { recursive: true });
    writeFileSync(join(dir, 'facts-v0', 'aa', 'old'), 'old format');
    const stale = join(dir, 'facts-v1', '00', 'leftover.123.tmp');
    writeFileSync(stale, 'half');
    utimesSync(stale, (now - 2 * 3600_000) / 1000, (now - 2 * 3600_000) / 1000);

    const { bytes } = cache.prune(now);
    expect(bytes).toBeLessThanOrEqual(0.8 * 6.5 * one);
    const left = entries(dir);
    expect(left.some((f) => f.includes('facts-v0') || f.endsWith('.tmp'))).toBe(false);
    // The used entry stays although it is the oldest; the newest ones stay; the oldest unused ones went.
    expect(readEntry(dir, keys[0])).toBe(payload);
    expect(readEntry(dir, keys[9])).toBe(payload);
    expect(readEntry(dir, keys[1])).toBeNull();
    expect(left.length).toBe(5);
    expect(left.reduce((sum, f) => sum + footprint(f), 0)).toBe(bytes);
  });
});

describe('facts cache: CLI', () => {
  it('defaults to node_modules/.cache/jwtfrag in the root, else the user cache folder; --cache-dir and --no-cache', () => {
    const files = { 'svc/app.py': 'import os\nK = os.getenv("JWT_SECRET")\n' };
    const userCache = temp('xdg');
    const env = { XDG_CACHE_HOME: userCache };
    const plain = tempRepo(files);
    temps.push(plain);
    const first = runCli(['scan', plain, '--no-progress', '--fail-on', 'none', '--debug'], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('0 reused, 1 extracted');
    expect(entries(join(userCache, 'jwtfrag')).length).toBe(1);
    const second = runCli(['scan', plain, '--no-progress', '--fail-on', 'none', '--debug'], { env });
    expect(second.stderr).toContain('1 reused, 0 extracted');
    expect(second.stdout).toBe(first.stdout);

    const withModules = tempRepo({ ...files, 'node_modules/.keep': '' });
    temps.push(withModules);
    runCli(['scan', withModules, '--no-progress', '--fail-on', 'none'], { env });
    expect(entries(join(withModules, 'node_modules', '.cache', 'jwtfrag')).length).toBe(1);

    const chosen = temp('chosen');
    runCli(['scan', plain, '--no-progress', '--fail-on', 'none', '--cache-dir', chosen], { env });
    expect(entries(chosen).length).toBe(1);
    const off = temp('xdg-off');
    const none = runCli(['scan', plain, '--no-progress', '--fail-on', 'none', '--no-cache', '--debug'], { env: { XDG_CACHE_HOME: off } });
    expect(none.stderr).not.toContain('reused');
    expect(readdirSync(off)).toEqual([]);
    expect(none.stdout).toBe(first.stdout);
  }, 60_000);

  /**
   * Extracts three files (Python, TypeScript, YAML) with a cache, each time in a process of its own
   * where nothing has loaded a front end yet, and says which front ends the main thread loaded.
   * `poolThreshold`: from how many files the scan counts as large (worker threads, after a look at the cache).
   */
  const extractionInFreshProcess = (name: string, poolThreshold?: number): (() => unknown) => {
    const root = join(import.meta.dirname, '..');
    const dir = temp(name);
    const cacheDir = temp(`${name}-cache`);
    mkdirSync(join(dir, 'svc'), { recursive: true });
    const files: Record<string, string> = {
      'svc/app.py': 'import os\nK = os.getenv("JWT_SECRET")\n',
      'svc/app.ts': 'export const k = process.env.JWT_SECRET;\n',
      'svc/deploy.yaml': 'env:\n  - name: JWT_SECRET\n    value: x\n',
    };
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    const script = join(dir, 'extract.mts');
    writeFileSync(
      script,
      [
        `import { FactCache } from ${JSON.stringify(join(root, 'src/cache/index.js'))};`,
        `import { DEFAULT_ENV_ACCESSORS } from ${JSON.stringify(join(root, 'src/config/schema.js'))};`,
        `import { frontEndLoaded } from ${JSON.stringify(join(root, 'src/extract/index.js'))};`,
        `import { extractAll } from ${JSON.stringify(join(root, 'src/extract/pool.js'))};`,
        `const extract = { envAccessors: { python: [...DEFAULT_ENV_ACCESSORS.python], typescript: [...DEFAULT_ENV_ACCESSORS.typescript] } };`,
        `const cache = new FactCache({ dir: ${JSON.stringify(cacheDir)} }, extract);`,
        `const items = ${JSON.stringify(Object.keys(files).map((path) => ({ path, absPath: join(dir, path), language: path.endsWith('.py') ? 'python' : path.endsWith('.ts') ? 'ts' : 'yaml' })))};`,
        `const results = await extractAll(items, { maxBytes: 1e6, extract, cache, jobs: 2, poolThreshold: ${JSON.stringify(poolThreshold)} });`,
        `const reads = results.flatMap((r) => (r.ok ? r.facts.envReads.map((e) => e.name) : []));`,
        `console.log(JSON.stringify({ hits: cache.hits, misses: cache.misses, reads, loaded: ['python', 'ts', 'yaml'].filter((l) => frontEndLoaded(l)) }));`,
      ].join('\n'),
    );
    return () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as unknown;
    };
  };

  it('a warm extraction loads no front end: every file comes from the cache', () => {
    const run = extractionInFreshProcess('warm-front-ends');
    expect(run()).toEqual({ hits: 0, misses: 3, reads: ['JWT_SECRET', 'JWT_SECRET'], loaded: ['python', 'ts', 'yaml'] });
    expect(run()).toEqual({ hits: 3, misses: 0, reads: ['JWT_SECRET', 'JWT_SECRET'], loaded: [] });
  });

  it('a large extraction whose cache is cold goes to worker threads at once: the main thread loads no front end', () => {
    // Three files count as large here; none is in the cache, so a look at them is enough to start the workers.
    const run = extractionInFreshProcess('cold-front-ends', 3);
    expect(run()).toEqual({ hits: 0, misses: 3, reads: ['JWT_SECRET', 'JWT_SECRET'], loaded: [] });
    // Warm, the main thread takes every file from the cache itself.
    expect(run()).toEqual({ hits: 3, misses: 0, reads: ['JWT_SECRET', 'JWT_SECRET'], loaded: [] });
  });
});
