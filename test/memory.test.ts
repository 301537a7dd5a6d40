// A scan lets go of what it no longer needs: the full facts once the model is built, and the CLI collects the garbage at those points.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../src/cli/memory.js';
import { loadConfig } from '../src/config/load.js';
import { scan } from '../src/run.js';

const PLATFORM = join(import.meta.dirname, '..', 'fixtures', 'monorepos', 'fastapi-platform');
const ROOT = join(import.meta.dirname, '..');

/** Runs an ES module script from the repository root in a fresh Node process (V8 flags are per process); its standard output. */
function runFresh(script: string, nodeArgs: string[] = []): string {
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** Runs `src/cli/<file>` with `args` in a fresh process; its exit status, standard output and main-thread young generation (MB) at exit. */
function runCli(file: string, args: string[]): { status: number | null; stdout: string; young: number } {
  const report =
    "import { getHeapSpaceStatistics } from 'node:v8'; process.on('exit', () => process.stderr.write(`new_space ${getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1e6}\\n`));";
  const node = ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(report)}`];
  const r = spawnSync(process.execPath, [...node, join('src', 'cli', file), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, young: Number(/new_space (\S+)/.exec(r.stderr)?.[1]) };
}

/** The main thread's young generation (MB) in a fresh process after it keeps 400,000 strings, with or without `keepYoungGenerationSmall`. */
function youngGenerationAfterKeeping(small: boolean): number {
  const script = [
    "import { getHeapSpaceStatistics } from 'node:v8';",
    "import { keepYoungGenerationSmall } from './src/cli/memory.ts';",
    small ? 'keepYoungGenerationSmall();' : '',
    'const kept = [];',
    "for (let i = 0; i < 400_000; i++) kept.push('path/' + i + '/module.py');",
    "const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');",
    'console.log(kept.length > 0 ? space.space_size / 1e6 : 0);',
  ].join('\n');
  return Number(runFresh(script).trim());
}

/** V8's per-scavenge trace of a fresh process that makes garbage, with or without `scavengeAlone`: the time its helper threads spent in each scavenge (ms). */
function scavengeHelperTimes(alone: boolean): number[] {
  const script = [
    "import { scavengeAlone } from './src/cli/memory.ts';",
    alone ? 'scavengeAlone();' : '',
    "console.log('@@start');",
    'let kept = [];',
    'for (let i = 0; i < 3_000_000; i++) { kept.push({ i }); if (kept.length > 50_000) kept = []; }',
  ].join('\n');
  const stdout = runFresh(script, ['--trace-gc-nvp']);
  // Only the scavenges after the call (loading the modules made some before it).
  const after = stdout.slice(stdout.indexOf('@@start'));
  const lines = after.split('\n').filter((line) => line.includes('gc=s '));
  return lines.map((line) => Number(/ background\.scavenge\.parallel=([\d.]+)/.exec(line)?.[1] ?? NaN));
}

/** The call of a small hot function during which V8 marks it for its optimising compiler, in a fresh process, after `optimiseOnlyHotCode(v8Version)` or without the call. */
function callMarkedForOptimisation(v8Version: string | null): number {
  const script = [
    "import { optimiseOnlyHotCode } from './src/cli/memory.ts';",
    v8Version === null ? '' : `optimiseOnlyHotCode(${JSON.stringify(v8Version)});`,
    'function probe(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003; return s; }',
    'let sum = 0;',
    "for (let call = 0; call < 3000; call++) { console.log('@@call ' + call); sum += probe(100); }",
    "console.log('@@sum ' + sum);",
  ].join('\n');
  let call = -1;
  for (const line of runFresh(script, ['--trace-opt']).split('\n')) {
    const match = /^@@call (\d+)$/.exec(line);
    if (match) call = Number(match[1]);
    else if (/^\[marking .*<JSFunction probe /.test(line)) return call;
  }
  return Infinity;
}

describe('memory', () => {
  it('the model keeps the facts rules read, not the imports and exports it resolved', async () => {
    let calls = 0;
    const { model, result } = await scan({ root: PLATFORM, config: loadConfig(PLATFORM).config, jobs: 1, onGarbage: () => calls++ });
    expect(model.facts.length).toBeGreaterThan(10);
    expect(model.facts.filter((f) => 'imports' in f || 'exports' in f)).toEqual([]);
    // What they were for is in the model: the import edges between components, which the result's service graph shows.
    expect(model.imports.length).toBeGreaterThan(0);
    expect(model.imports.filter((e) => e.fromService === null || e.toService === null || e.fromService === e.toService)).toEqual([]);
    expect(result.serviceImports?.length).toBeGreaterThan(0);
    // Once the facts are parsed and once the model is built.
    expect(calls).toBe(2);
  });

  it('keepYoungGenerationSmall keeps the young generation from growing as what it holds survives', () => {
    // V8 doubles it (to 16 MB semi-spaces) while most of it survives, as discovery's file lists do.
    expect(youngGenerationAfterKeeping(false)).toBeGreaterThanOrEqual(16);
    expect(youngGenerationAfterKeeping(true)).toBeLessThanOrEqual(8);
  });

  it('the CLI keeps its young generation small from before it loads its modules', () => {
    // Loading the command line's modules alone makes V8 grow the young generation to 16 MB
    // semi-spaces: `main.ts` sets the flag first and only then loads `cli.ts`. The control runs `cli.ts` itself.
    const youngAfter = (file: string): number => {
      const r = runCli(file, ['--version']);
      expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
      return r.young;
    };
    // tsx's own loading, before `main.ts`, may take it from 1 to 4 MB.
    expect(youngAfter('main.ts')).toBeLessThanOrEqual(4.2);
    expect(youngAfter('cli.ts')).toBeGreaterThanOrEqual(8);
  });

  it("a worker thread's start sets the growth factor back, and setting it again holds", () => {
    // V8 raises the factor to 2 whenever it configures an isolate's heap, and the flag is the process's:
    // each extraction lane undoes `keepYoungGenerationSmall` for the main thread too.
    const youngAfterWorker = (again: boolean): number => {
      const script = [
        "import { getHeapSpaceStatistics } from 'node:v8';",
        "import { Worker } from 'node:worker_threads';",
        "import { keepYoungGenerationSmall } from './src/cli/memory.ts';",
        'keepYoungGenerationSmall();',
        "const worker = new Worker('1', { eval: true });",
        "await new Promise((done) => worker.on('exit', done));",
        again ? 'keepYoungGenerationSmall();' : '',
        'const kept = [];',
        "for (let i = 0; i < 400_000; i++) kept.push('path/' + i + '/module.py');",
        "console.log(kept.length > 0 ? getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1e6 : 0);",
      ].join('\n');
      return Number(runFresh(script).trim());
    };
    expect(youngAfterWorker(false)).toBeGreaterThanOrEqual(8);
    expect(youngAfterWorker(true)).toBeLessThanOrEqual(4.2);
  });

  it('a scan on worker lanes keeps the young generation small while the main thread parses their facts', () => {
    // 450 files (lanes from 400), each with 200 imports: facts the main thread parses once the lanes are done.
    const repo = mkdtempSync(join(tmpdir(), 'jwtfrag-young-'));
    for (let i = 0; i < 450; i++) {
      mkdirSync(join(repo, `svc${i % 5}`, `pkg${i % 20}`), { recursive: true });
      const lines = Array.from({ length: 200 }, (_, k) => `from lib${k}.mod${k} import name${k} as n${i}_${k}`);
      writeFileSync(join(repo, `svc${i % 5}`, `pkg${i % 20}`, `m${i}.py`), lines.join('\n') + '\n');
    }
    const r = runCli('main.ts', ['scan', repo, '--no-cache', '--jobs', '2', '--fail-on', 'none', '--format', 'json', '-o', join(repo, 'out.json')]);
    rmSync(repo, { recursive: true, force: true });
    expect(r.status).toBe(0);
    // Without setting it again after the lanes start, the parse grows it to 32 MB.
    expect(r.young).toBeLessThanOrEqual(4.2);
  });

  it('scavengeAlone leaves every scavenge to the thread that allocates', () => {
    const alone = scavengeHelperTimes(true);
    expect(alone.length).toBeGreaterThan(10);
    expect(alone.filter((ms) => ms !== 0)).toEqual([]);
    // The control: without it, V8's helper threads take part in some of them.
    expect(scavengeHelperTimes(false).some((ms) => ms > 0)).toBe(true);
  });

  it('optimiseOnlyHotCode has V8 11.3 optimise a function only once it has run about four times as long', () => {
    const atDefault = callMarkedForOptimisation(null);
    expect(atDefault).toBeGreaterThan(2);
    expect(atDefault).toBeLessThan(500);
    if (process.versions.v8.startsWith('11.3.')) {
      const raised = callMarkedForOptimisation(process.versions.v8);
      expect(raised).toBeGreaterThanOrEqual(3 * atDefault);
      expect(raised).toBeLessThan(3000);
    }
    // Any other V8 is left at its default: its tiering has other flags, and an unknown one prints an error.
    expect(callMarkedForOptimisation('12.4.254.21-node.33')).toBe(atDefault);
  });

  it('collectGarbage collects, and exposes no gc function to the program', async () => {
    const ref = (() => new WeakRef(new Array<number>(100_000).fill(1)))();
    // A WeakRef keeps its target until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    // From any heap size (by default only from 64 MiB of live heap, more than a test's).
    collectGarbage(0);
    collectGarbage(0);
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
