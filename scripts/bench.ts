// `npm run bench`: on the synthetic monorepo (and any real repository named in JWTFRAG_BENCH_REPOS) times, each in its own child
// process and in one run: a raw parse of the same files (also N of them at once, the most N cores can gain), a cold scan with all
// cores and with one, a first scan with an empty cache, a warm scan (cache full) and a scan after one file changed; reports medians, ratios and peak RSS against the
// targets; before them, start-up (`jwtfrag --version`, a warm scan of the example monorepo). `--curve` adds cold scans at four sizes.
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/load.js';
import { discover } from '../src/discover/index.js';
import { insideWorkTree } from '../src/discover/git-files.js';
import { packageRoot } from '../src/util/paths.js';
import { FlagError, intFlag } from './flags.js';
import { parseChildReport, type ChildReport } from './bench-child.js';
import { ensureCorpus, type CorpusStats } from './bench-corpus.js';
import { MIN_FILES } from './bench-plan.js';

/** Targets (issue "fast enough to run on every push"): ratios within one run, 2 cores. */
const TARGETS = { coldOverRaw: 1.5, jobsSpeedup: 1.7, warmMs: 2_000, changedMs: 3_000, rssMB: 300 };
const CHILD_TIMEOUT_MS = 20 * 60 * 1000;
/** Real repositories to measure besides the synthetic corpus: folders separated by the path delimiter or commas. */
const REPOS_ENV = 'JWTFRAG_BENCH_REPOS';
const CURVE_SIZES = [2_500, 5_000, 10_000, 20_000];
/** Runs of each start-up measure after the warm-ups: they take a fraction of a second each. */
const STARTUP_RUNS = 9;

class BenchError extends Error {}

interface BenchOptions {
  files: number;
  seed: number;
  runs: number;
  warmup: number;
  jobs: number;
  curve: boolean;
  synthetic: boolean;
}

interface ChildRun {
  report: ChildReport;
  exitCode: number;
}

interface ScanSummary {
  scanned: number;
  byLanguage: Record<string, number>;
  findings: number;
  parseErrors: number;
}

const FLAGS = '--files N --seed N --runs N --warmup N --jobs N --curve --no-synthetic';

function parseOptions(argv: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        files: { type: 'string' },
        seed: { type: 'string' },
        runs: { type: 'string' },
        warmup: { type: 'string' },
        jobs: { type: 'string' },
        curve: { type: 'boolean' },
        'no-synthetic': { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new BenchError(`${error instanceof Error ? error.message : String(error)} (flags: ${FLAGS})`);
  }
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  return {
    files: intFlag('files', str('files'), 5000, MIN_FILES),
    seed: intFlag('seed', str('seed'), 1, 0),
    runs: intFlag('runs', str('runs'), 3, 1),
    warmup: intFlag('warmup', str('warmup'), 1, 0),
    jobs: intFlag('jobs', str('jobs'), availableParallelism(), 1),
    curve: values.curve === true,
    synthetic: values['no-synthetic'] !== true,
  };
}

// Runs `node <args>` and returns the report it printed; fails unless it exits with one of `okCodes`.
function runChild(label: string, args: string[], okCodes: number[]): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new BenchError(`${label}: could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? -1;
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      if (!okCodes.includes(exitCode)) {
        reject(new BenchError(`${label} exited with ${signal ?? exitCode}${tail ? `:\n${tail}` : ''}`));
        return;
      }
      const report = parseChildReport(stdout);
      if (report === null) {
        reject(new BenchError(`${label} printed no measurement${tail ? `:\n${tail}` : ''}`));
        return;
      }
      resolvePromise({ report, exitCode });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median wall time of some runs. */
const ms = (rs: ChildReport[]): number => median(rs.map((r) => r.ms));
/** Median peak RSS of some runs. */
const rss = (rs: ChildReport[]): number => median(rs.map((r) => r.maxRssMiB));
/** Fastest–slowest wall time of some runs. */
const span = (rs: ChildReport[]): string => `${Math.min(...rs.map((r) => r.ms))}–${Math.max(...rs.map((r) => r.ms))}`;

function readScanSummary(path: string): ScanSummary {
  const result = JSON.parse(readFileSync(path, 'utf8')) as {
    files?: { scanned?: number; byLanguage?: Record<string, number> };
    findings?: unknown[];
    notifications?: { id?: string }[];
  };
  return {
    scanned: result.files?.scanned ?? 0,
    byLanguage: result.files?.byLanguage ?? {},
    findings: result.findings?.length ?? 0,
    parseErrors: (result.notifications ?? []).filter((n) => n.id === 'parse-error').length,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

function describeCorpus(stats: CorpusStats): string {
  return (
    `${stats.ts} ts, ${stats.python} python (${stats.tests} of them tests), ${stats.deploy} deploy/manifest files; ` +
    `${stats.secretReadFiles} read a JWT secret env var, ${stats.jwtFiles} call a JWT library, ${stats.crossServiceImports} cross-service imports`
  );
}

interface Tools {
  cli: string;
  rawChild: string;
  probe: string;
}

function tools(): Tools {
  const root = packageRoot();
  const t = {
    cli: join(root, 'dist', 'bundle', 'main.js'),
    rawChild: join(root, 'dist', 'scripts', 'bench-raw.js'),
    probe: join(root, 'dist', 'scripts', 'bench-probe.js'),
  };
  for (const needed of Object.values(t)) if (!existsSync(needed)) throw new BenchError(`${needed} not found; run npm run build first`);
  return t;
}

/** One corpus to measure: a folder the bench may edit (one file is changed and restored). */
interface Target {
  name: string;
  dir: string;
  description: string;
  /** The analysed source file the one-file-changed scan edits. */
  edited: string;
  cleanup: () => void;
}

/** The analysed TS/JS/Python file in the middle of the sorted list: what the one-file-changed scan edits. */
async function pickEdited(dir: string): Promise<string> {
  const files = (await discover(dir, parseConfig({}, 'bench'), false)).files.filter((f) => f.language === 'ts' || f.language === 'python');
  if (files.length === 0) throw new BenchError(`${dir}: no TypeScript or Python file to edit`);
  return files[Math.floor(files.length / 2)].path;
}

/**
 * A real repository is measured on a copy of the files a scan sees (so the original stays untouched
 * when one file is edited): discovery's file list, manifests and .gitignore files included. When the
 * original is a git checkout, the copy is made one too (every file committed), so that discovery
 * lists it through git as it would a user's checkout: a copy scanned without git saw fewer files (git
 * lists tracked files that a .gitignore names) and peaked 20 MB lower on the reference repository.
 */
async function copyRepository(source: string): Promise<{ dir: string; files: number; git: boolean }> {
  const discovery = await discover(source, parseConfig({}, 'bench'), true);
  const dir = mkdtempSync(join(tmpdir(), `jwtfrag-bench-${basename(source).replace(/[^\w.-]+/g, '_')}-`));
  const made = new Set<string>();
  for (const path of discovery.allPaths) {
    const target = join(dir, path);
    const parent = dirname(target);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    copyFileSync(join(source, path), target);
  }
  const git = await insideWorkTree(source);
  if (git) {
    const run = (args: string[]): void =>
      void execFileSync('git', ['-c', 'user.name=jwtfrag bench', '-c', 'user.email=bench@jwtfrag.invalid', '-c', 'commit.gpgsign=false', ...args], {
        cwd: dir,
        stdio: 'ignore',
      });
    run(['init', '-q']);
    run(['add', '-A', '-f']);
    run(['commit', '-q', '--no-verify', '-m', 'bench copy']);
    // Settles the index's file times, so the first scan does not pay for git hashing every file again.
    try {
      run(['update-index', '-q', '--refresh']);
    } catch {
      // Entries still to refresh only cost the first (warm-up) round.
    }
  }
  return { dir, files: discovery.allPaths.length, git };
}

interface Measures {
  raw: ChildReport[];
  /** With several jobs: per round, the slowest of `jobs` raw parses run at the same time (how much work the cores do side by side). */
  together: number[];
  cold: ChildReport[];
  /** The first scan with the cache on (the default) and nothing in it yet, as on a fresh CI machine. */
  first: ChildReport[];
  jobs1: ChildReport[];
  warm: ChildReport[];
  changed: ChildReport[];
  summary: ScanSummary | null;
}

/** `node` arguments for one measured scan: the RSS probe, the CLI, JSON written to `output`, never failing on findings. */
function scanArgs(t: Tools, dir: string, output: string, extra: string[]): string[] {
  return ['--import', pathToFileURL(t.probe).href, t.cli, 'scan', dir, '--format', 'json', '-o', output, '--no-progress', '--fail-on', 'none', ...extra];
}

/**
 * Measures one corpus. Its work folder (cache folders with thousands of entries) goes into `leftovers`,
 * removed once every corpus is measured: on some file systems deleting thousands of files slows the
 * creation of files for a while after (ext4 with `discard`), which the next corpus's first scans would pay.
 */
async function measure(target: Target, options: BenchOptions, t: Tools, leftovers: string[]): Promise<Measures> {
  const work = mkdtempSync(join(tmpdir(), 'jwtfrag-bench-work-'));
  leftovers.push(work);
  const output = join(work, 'result.json');
  const cacheDir = join(work, 'cache');
  const scan = (extra: string[]): string[] => scanArgs(t, target.dir, output, extra);
  const edited = join(target.dir, target.edited);
  const original = readFileSync(edited, 'utf8');
  const comment = target.edited.endsWith('.py') ? '#' : '//';
  const m: Measures = { raw: [], together: [], cold: [], first: [], jobs1: [], warm: [], changed: [], summary: null };
  const step = async (label: string, args: string[]): Promise<ChildReport> => {
    process.stderr.write(` ${label}…`);
    const r = await runChild(`${target.name}: ${label}`, args, [0]);
    process.stderr.write(` ${r.report.ms} ms;`);
    return r.report;
  };
  try {
    // The cache is filled once; every warm scan then finds each file, every changed scan all but one.
    await runChild(`${target.name}: filling the cache`, scan(['--jobs', String(options.jobs), '--cache-dir', cacheDir]), [0]);
    for (let i = 0; i < options.warmup + options.runs; i++) {
      const warmUp = i < options.warmup;
      process.stderr.write(`bench: ${target.name}: ${warmUp ? `warm-up ${i + 1}` : `run ${i - options.warmup + 1}/${options.runs}`}:`);
      const raw = await step('raw parse', [t.rawChild, target.dir]);
      let together = 0;
      if (options.jobs > 1) {
        process.stderr.write(` ${options.jobs} raw parses at once…`);
        const runs = await Promise.all(
          Array.from({ length: options.jobs }, (_, k) =>
            runChild(`${target.name}: raw parse ${k + 1} of ${options.jobs} at once`, [t.rawChild, target.dir], [0]),
          ),
        );
        together = Math.max(...runs.map((r) => r.report.ms));
        process.stderr.write(` ${together} ms;`);
      }
      const cold = await step(`cold --jobs ${options.jobs}`, scan(['--jobs', String(options.jobs), '--no-cache']));
      if (!warmUp) m.summary = readScanSummary(output);
      // A cache folder of its own each round, all removed at the end (see above).
      const first = await step('first with an empty cache', scan(['--jobs', String(options.jobs), '--cache-dir', join(work, `empty-cache-${i}`)]));
      const jobs1 = await step('cold --jobs 1', scan(['--jobs', '1', '--no-cache']));
      const warm = await step('warm', scan(['--jobs', String(options.jobs), '--cache-dir', cacheDir]));
      writeFileSync(edited, `${original}\n${comment} bench edit ${i}\n`);
      const changed = await step('one file changed', scan(['--jobs', String(options.jobs), '--cache-dir', cacheDir]));
      process.stderr.write(warmUp ? ' (discarded)\n' : '\n');
      if (warmUp) continue;
      m.raw.push(raw);
      if (options.jobs > 1) m.together.push(together);
      m.cold.push(cold);
      m.first.push(first);
      m.jobs1.push(jobs1);
      m.warm.push(warm);
      m.changed.push(changed);
    }
  } finally {
    writeFileSync(edited, original);
  }
  return m;
}

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

function report(target: Target, m: Measures, options: BenchOptions): string[] {
  const rows: [string, ChildReport[]][] = [
    ['raw parse (1 thread)', m.raw],
    [`cold scan --jobs ${options.jobs}`, m.cold],
    [`first scan, empty cache, --jobs ${options.jobs}`, m.first],
    ['cold scan --jobs 1', m.jobs1],
    ['warm scan (nothing changed)', m.warm],
    ['one file changed', m.changed],
  ];
  const coldOverRaw = ms(m.cold) / ms(m.raw);
  const speedup = ms(m.jobs1) / ms(m.cold);
  const peak = Math.max(rss(m.cold), rss(m.first), rss(m.jobs1), rss(m.warm), rss(m.changed));
  const out: string[] = [];
  out.push(`${target.name}: ${target.description}`);
  out.push(`  edited for the one-file-changed scan: ${target.edited}`);
  out.push('');
  out.push(
    table([['measure', 'median ms', 'min–max ms', 'peak RSS MiB'], ...rows.map(([label, rs]) => [label, ms(rs).toFixed(0), span(rs), rss(rs).toFixed(0)])]),
  );
  out.push('');
  out.push(`  cold scan / raw parse ≤ ${TARGETS.coldOverRaw}:       ${coldOverRaw.toFixed(2)}  ${verdict(coldOverRaw <= TARGETS.coldOverRaw)}`);
  out.push(`  first scan with an empty cache / cold scan: ${(ms(m.first) / ms(m.cold)).toFixed(2)} (what writing the cache costs a first scan)`);
  out.push(
    `  --jobs 1 / --jobs ${options.jobs} ≥ ${TARGETS.jobsSpeedup}:          ${speedup.toFixed(2)}  ${options.jobs > 1 ? verdict(speedup >= TARGETS.jobsSpeedup) : '(one job: not measured)'}`,
  );
  if (m.together.length > 0) {
    // The same one-thread parse in `jobs` processes at once. A scan cannot gain more from the cores than its parse does: its model and
    // report run on one thread after extraction, and its extraction allocates more than the bare parse (it shares the memory system worse).
    const ceiling = (options.jobs * ms(m.raw)) / median(m.together);
    out.push(
      `  this machine: ${options.jobs} raw parses at once take ${median(m.together).toFixed(0)} ms where one takes ${ms(m.raw).toFixed(0)}: ${options.jobs} cores do ${ceiling.toFixed(2)} times the parsing of one, a bound on --jobs 1 / --jobs ${options.jobs}`,
    );
  }
  out.push(`  warm scan ≤ ${TARGETS.warmMs} ms:            ${ms(m.warm).toFixed(0)} ms  ${verdict(ms(m.warm) <= TARGETS.warmMs)}`);
  out.push(`  one file changed ≤ ${TARGETS.changedMs} ms:     ${ms(m.changed).toFixed(0)} ms  ${verdict(ms(m.changed) <= TARGETS.changedMs)}`);
  // The target is in MB (10^6 bytes); the OS reports peaks in KiB, which the tables give in MiB.
  const limitMiB = (TARGETS.rssMB * 1e6) / 2 ** 20;
  out.push(
    `  peak RSS of any scan ≤ ${TARGETS.rssMB} MB (${limitMiB.toFixed(0)} MiB):  ${peak.toFixed(0)} MiB (${((peak * 2 ** 20) / 1e6).toFixed(0)} MB)  ${verdict(peak <= limitMiB)}`,
  );
  const detail = m.raw[m.raw.length - 1].detail;
  out.push(
    `  raw parse (last run): ${detail.files} files (${detail.tsFiles} TS/JS, ${detail.pyFiles} Python, ${detail.pyErrors} Python with errors), ${(detail.bytes / 1e6).toFixed(1)} M characters; ` +
      `parse loop ${detail.loopMs} ms (TS/JS ${detail.tsMs}, Python ${detail.pyMs}), the rest is start-up and discovery`,
  );
  if (m.summary) {
    const langs = Object.entries(m.summary.byLanguage)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    out.push(
      `  scan (last cold run): ${m.summary.scanned} files (${langs}), ${m.summary.findings} findings, ${m.summary.parseErrors} parse-error notifications`,
    );
    const scanned = (m.summary.byLanguage.ts ?? 0) + (m.summary.byLanguage.js ?? 0) + (m.summary.byLanguage.python ?? 0);
    if (scanned !== detail.files) out.push('  warning: the scan and the raw parse did not see the same TS/JS/Python files; the ratio compares different work');
  }
  return out;
}

/**
 * What every run pays before and around its work: `jwtfrag --version` (the command line loaded, nothing
 * scanned) and a warm scan of the bundled example monorepo (its cache filled first), the median of
 * `STARTUP_RUNS` runs each after the warm-ups. On a small repository, in a pre-commit hook, this is the run.
 */
async function startup(options: BenchOptions, t: Tools): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'jwtfrag-bench-startup-'));
  const example = join(packageRoot(), 'fixtures', 'monorepos', 'fastapi-platform');
  const warmScan = scanArgs(t, example, join(work, 'result.json'), ['--cache-dir', join(work, 'cache')]);
  const measures: [string, string[]][] = [
    ['jwtfrag --version', ['--import', pathToFileURL(t.probe).href, t.cli, '--version']],
    ['warm scan of the example monorepo', warmScan],
  ];
  const rows: string[][] = [['measure', 'median ms', 'min–max ms', 'peak RSS MiB']];
  try {
    await runChild('start-up: filling the cache', warmScan, [0]);
    for (const [label, args] of measures) {
      process.stderr.write(`bench: start-up: ${label}…`);
      const runs: ChildReport[] = [];
      for (let i = 0; i < options.warmup + STARTUP_RUNS; i++) {
        const run = (await runChild(`start-up: ${label}`, args, [0])).report;
        if (i >= options.warmup) runs.push(run);
      }
      process.stderr.write(` ${ms(runs)} ms\n`);
      rows.push([label, ms(runs).toFixed(0), span(runs), rss(runs).toFixed(0)]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return [`start-up (what every run pays; median of ${STARTUP_RUNS} runs after the warm-up):`, '', table(rows)];
}

async function curve(options: BenchOptions, t: Tools): Promise<string[]> {
  const rows: string[][] = [['files', 'cold scan ms', 'files/s', 'peak RSS MiB']];
  for (const files of CURVE_SIZES) {
    process.stderr.write(`bench: curve: ${files}-file corpus…`);
    const corpus = ensureCorpus(files, options.seed);
    const output = join(tmpdir(), `jwtfrag-bench-curve-${process.pid}.json`);
    const runs: ChildReport[] = [];
    try {
      for (let i = 0; i < options.runs; i++) {
        const args = scanArgs(t, corpus.dir, output, ['--no-cache', '--jobs', String(options.jobs)]);
        runs.push((await runChild(`curve ${files}`, args, [0])).report);
        process.stderr.write(` ${runs[runs.length - 1].ms} ms`);
      }
    } finally {
      rmSync(output, { force: true });
    }
    process.stderr.write('\n');
    const time = ms(runs);
    rows.push([String(files), time.toFixed(0), (files / (time / 1000)).toFixed(0), rss(runs).toFixed(0)]);
  }
  return ['memory and time as the synthetic corpus grows (cold scans, median of each size):', '', table(rows)];
}

function realRepos(): string[] {
  const value = process.env[REPOS_ENV];
  if (!value) return [];
  return value
    .split(new RegExp(`[,${delimiter}]`))
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => resolve(s));
}

async function bench(options: BenchOptions): Promise<void> {
  const t = tools();
  const targets: Target[] = [];
  const sections: string[][] = [];
  const leftovers: string[] = [];
  try {
    if (options.synthetic) {
      process.stderr.write(`bench: preparing a ${options.files}-file corpus (seed ${options.seed})…\n`);
      const corpus = ensureCorpus(options.files, options.seed);
      targets.push({
        name: `synthetic ${options.files} files (seed ${options.seed})`,
        dir: corpus.dir,
        description: `${describeCorpus(corpus.stats)}${corpus.generated ? ' (generated now)' : ''}`,
        edited: await pickEdited(corpus.dir),
        cleanup: () => undefined,
      });
    }
    for (const repo of realRepos()) {
      if (!existsSync(repo)) throw new BenchError(`${REPOS_ENV}: no such folder: ${repo}`);
      process.stderr.write(`bench: copying the files a scan sees from ${basename(repo)}…\n`);
      const copy = await copyRepository(repo);
      targets.push({
        name: basename(repo),
        dir: copy.dir,
        description: `a real repository (${copy.files} files a scan sees, copied so one can be edited${copy.git ? ', committed to a fresh git repository as the original is a checkout' : ''})`,
        edited: await pickEdited(copy.dir),
        cleanup: () => rmSync(copy.dir, { recursive: true, force: true }),
      });
    }
    if (targets.length === 0) throw new BenchError(`nothing to measure: --no-synthetic and no ${REPOS_ENV}`);
    sections.push(await startup(options, t));
    for (const target of targets) sections.push(report(target, await measure(target, options, t, leftovers), options));
    if (options.curve) sections.push(await curve(options, t));
  } finally {
    for (const target of targets) target.cleanup();
    for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
  }
  const head = [
    `jwtfrag bench: ${availableParallelism()} cores, --jobs ${options.jobs}; per corpus ${options.warmup} discarded warm-up round(s), then the median of ${options.runs} round(s);`,
    '  each round runs every measure once, in turn, each in its own process: wall time from process start to exit, peak RSS of the whole process (all threads)',
  ];
  process.stdout.write([...head, ...sections.flatMap((s) => ['', ...s])].join('\n') + '\n');
}

try {
  await bench(parseOptions(process.argv.slice(2)));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`\njwtfrag bench: ${message}\n`);
  if (!(error instanceof BenchError || error instanceof FlagError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 2;
}
